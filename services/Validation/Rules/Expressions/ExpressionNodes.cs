using System.Runtime.InteropServices;
using Vigil.Tabular.Tables;

namespace Vigil.Validation.Rules.Expressions;

/// <summary>Scratch buffers for one work item; nodes borrow and return them, so a chunk allocates nothing per row.</summary>
internal sealed class Frame(int size)
{
    private readonly Stack<double[]> _doubles = new();
    private readonly Stack<byte[]> _bytes = new();

    public int Size { get; } = size;

    public double[] RentDoubles() => _doubles.TryPop(out var buffer) ? buffer : new double[Size];

    public void Return(double[] buffer) => _doubles.Push(buffer);

    public byte[] RentBytes() => _bytes.TryPop(out var buffer) ? buffer : new byte[Size];

    public void Return(byte[] buffer) => _bytes.Push(buffer);
}

/// <summary>Condition states of a row: three-valued logic, where <see cref="Unknown"/> means "not evaluated" (a null met a comparison).</summary>
internal static class Truth
{
    public const byte False = 0;
    public const byte True = 1;
    public const byte Unknown = 2;

    public static ReadOnlySpan<byte> AndTable => [0, 0, 0, 0, 1, 2, 0, 2, 2];
    public static ReadOnlySpan<byte> OrTable => [0, 1, 2, 1, 1, 1, 2, 1, 2];
    public static ReadOnlySpan<byte> NotTable => [1, 0, 2];
}

/// <summary>A numeric sub-expression evaluated over a run of rows.</summary>
internal abstract class NumberNode
{
    /// <summary>Writes rows [start, start + values.Length) into <paramref name="values"/>, with 1 in <paramref name="nulls"/> where there is no value.</summary>
    public abstract void Evaluate(int start, Span<double> values, Span<byte> nulls, Frame frame);
}

/// <summary>A condition evaluated over a run of rows into <see cref="Truth"/> states.</summary>
internal abstract class ConditionNode
{
    public abstract void Evaluate(int start, Span<byte> states, Frame frame);
}

/// <summary>A text operand of <c>==</c> / <c>!=</c>, read row by row (no copies: the table's strings are returned).</summary>
internal abstract class TextNode
{
    public abstract string? Get(int row);
}

internal sealed class ConstantNumber(double value) : NumberNode
{
    public override void Evaluate(int start, Span<double> values, Span<byte> nulls, Frame frame)
    {
        values.Fill(value);
        nulls.Clear();
    }
}

internal sealed class ColumnNumber(Column column) : NumberNode
{
    public override void Evaluate(int start, Span<double> values, Span<byte> nulls, Frame frame)
    {
        switch (column.Type)
        {
            case ColumnType.Integer:
                VectorKernels.ToDouble(column.Int64Values.Slice(start, values.Length), values);
                break;
            case ColumnType.Decimal:
                column.DoubleValues.Slice(start, values.Length).CopyTo(values);
                break;
            case ColumnType.Timestamp:
                VectorKernels.TicksToUnixSeconds(column.Int64Values.Slice(start, values.Length), values);
                break;
            default:
                throw new InvalidOperationException($"Column '{column.Name}' is not numeric.");
        }
        MemoryMarshal.Cast<bool, byte>(column.NullMask.Slice(start, values.Length)).CopyTo(nulls);
    }
}

/// <summary>A text column where a number is needed: each value is read as a number; one that is not a number counts as null.</summary>
internal sealed class TextColumnNumber : NumberNode
{
    private readonly Column _column;
    private readonly double[]? _categoryValues;
    private readonly bool[]? _categoryValid;

    public TextColumnNumber(Column column)
    {
        _column = column;
        if (column.Type != ColumnType.Categorical) return;
        var categories = column.Categories;
        _categoryValues = new double[categories.Count];
        _categoryValid = new bool[categories.Count];
        for (var code = 0; code < categories.Count; code++)
            _categoryValid[code] = ColumnInference.TryParseDecimal(categories[code], out _categoryValues[code]);
    }

    public override void Evaluate(int start, Span<double> values, Span<byte> nulls, Frame frame)
    {
        for (var i = 0; i < values.Length; i++)
        {
            var row = start + i;
            if (_column.IsNull(row))
            {
                nulls[i] = 1;
                values[i] = 0;
            }
            else if (_categoryValues is not null)
            {
                var code = _column.GetCategoryCode(row);
                values[i] = _categoryValues[code];
                nulls[i] = _categoryValid![code] ? (byte)0 : (byte)1;
            }
            else
            {
                nulls[i] = ColumnInference.TryParseDecimal(_column.GetString(row), out values[i]) ? (byte)0 : (byte)1;
            }
        }
    }
}

internal sealed class NegatedNumber(NumberNode operand) : NumberNode
{
    public override void Evaluate(int start, Span<double> values, Span<byte> nulls, Frame frame)
    {
        operand.Evaluate(start, values, nulls, frame);
        VectorKernels.Negate(values);
    }
}

internal sealed class AbsoluteNumber(NumberNode operand) : NumberNode
{
    public override void Evaluate(int start, Span<double> values, Span<byte> nulls, Frame frame)
    {
        operand.Evaluate(start, values, nulls, frame);
        VectorKernels.Abs(values);
    }
}

internal sealed class ArithmeticNumber(BinaryOperator op, NumberNode left, NumberNode right) : NumberNode
{
    public override void Evaluate(int start, Span<double> values, Span<byte> nulls, Frame frame)
    {
        left.Evaluate(start, values, nulls, frame);
        var rightValues = frame.RentDoubles();
        var rightNulls = frame.RentBytes();
        var rv = rightValues.AsSpan(0, values.Length);
        var rn = rightNulls.AsSpan(0, values.Length);
        right.Evaluate(start, rv, rn, frame);
        switch (op)
        {
            case BinaryOperator.Add: VectorKernels.Apply<VectorKernels.AddOperation>(values, rv); break;
            case BinaryOperator.Subtract: VectorKernels.Apply<VectorKernels.SubtractOperation>(values, rv); break;
            case BinaryOperator.Multiply: VectorKernels.Apply<VectorKernels.MultiplyOperation>(values, rv); break;
            default:
                VectorKernels.Apply<VectorKernels.DivideOperation>(values, rv);
                // Division by zero has no value.
                for (var i = 0; i < rv.Length; i++)
                {
                    if (rv[i] == 0) rn[i] = 1;
                }
                break;
        }
        VectorKernels.Or(nulls, rn);
        frame.Return(rightValues);
        frame.Return(rightNulls);
    }
}

internal sealed class ConstantCondition(bool value) : ConditionNode
{
    public override void Evaluate(int start, Span<byte> states, Frame frame) => states.Fill(value ? Truth.True : Truth.False);
}

internal sealed class BooleanColumnCondition(Column column) : ConditionNode
{
    public override void Evaluate(int start, Span<byte> states, Frame frame)
    {
        for (var i = 0; i < states.Length; i++)
        {
            var row = start + i;
            states[i] = column.IsNull(row) ? Truth.Unknown : column.GetBoolean(row) ? Truth.True : Truth.False;
        }
    }
}

internal sealed class NotCondition(ConditionNode operand) : ConditionNode
{
    public override void Evaluate(int start, Span<byte> states, Frame frame)
    {
        operand.Evaluate(start, states, frame);
        var table = Truth.NotTable;
        for (var i = 0; i < states.Length; i++) states[i] = table[states[i]];
    }
}

internal sealed class LogicalCondition(bool isAnd, ConditionNode left, ConditionNode right) : ConditionNode
{
    public override void Evaluate(int start, Span<byte> states, Frame frame)
    {
        left.Evaluate(start, states, frame);
        var buffer = frame.RentBytes();
        var rs = buffer.AsSpan(0, states.Length);
        right.Evaluate(start, rs, frame);
        var table = isAnd ? Truth.AndTable : Truth.OrTable;
        for (var i = 0; i < states.Length; i++) states[i] = table[states[i] * 3 + rs[i]];
        frame.Return(buffer);
    }
}

/// <summary>
/// Numeric comparison. <c>==</c> / <c>!=</c> allow an absolute tolerance plus a relative 1e-12 that absorbs binary
/// floating-point noise (0.1 + 0.2 == 0.3). A null or non-finite operand leaves the row <see cref="Truth.Unknown"/>.
/// </summary>
internal sealed class NumberComparison(BinaryOperator op, NumberNode left, NumberNode right, double tolerance) : ConditionNode
{
    public const double RelativeSlack = 1e-12;

    public override void Evaluate(int start, Span<byte> states, Frame frame)
    {
        var n = states.Length;
        var lv = frame.RentDoubles();
        var ln = frame.RentBytes();
        var rv = frame.RentDoubles();
        var rn = frame.RentBytes();
        left.Evaluate(start, lv.AsSpan(0, n), ln.AsSpan(0, n), frame);
        right.Evaluate(start, rv.AsSpan(0, n), rn.AsSpan(0, n), frame);
        for (var i = 0; i < n; i++)
        {
            double a = lv[i], b = rv[i];
            if ((ln[i] | rn[i]) != 0 || !double.IsFinite(a) || !double.IsFinite(b))
            {
                states[i] = Truth.Unknown;
                continue;
            }
            var holds = op switch
            {
                BinaryOperator.Equal => Close(a, b),
                BinaryOperator.NotEqual => !Close(a, b),
                BinaryOperator.Less => a < b,
                BinaryOperator.LessOrEqual => a <= b,
                BinaryOperator.Greater => a > b,
                _ => a >= b,
            };
            states[i] = holds ? Truth.True : Truth.False;
        }
        frame.Return(lv);
        frame.Return(ln);
        frame.Return(rv);
        frame.Return(rn);
    }

    private bool Close(double a, double b) => Math.Abs(a - b) <= tolerance + RelativeSlack * Math.Max(Math.Abs(a), Math.Abs(b));
}

internal sealed class TextComparison(bool equal, TextNode left, TextNode right) : ConditionNode
{
    public override void Evaluate(int start, Span<byte> states, Frame frame)
    {
        for (var i = 0; i < states.Length; i++)
        {
            var a = left.Get(start + i);
            var b = right.Get(start + i);
            states[i] = a is null || b is null ? Truth.Unknown
                : string.Equals(a, b, StringComparison.Ordinal) == equal ? Truth.True : Truth.False;
        }
    }
}

internal sealed class ConditionComparison(bool equal, ConditionNode left, ConditionNode right) : ConditionNode
{
    public override void Evaluate(int start, Span<byte> states, Frame frame)
    {
        left.Evaluate(start, states, frame);
        var buffer = frame.RentBytes();
        var rs = buffer.AsSpan(0, states.Length);
        right.Evaluate(start, rs, frame);
        for (var i = 0; i < states.Length; i++)
        {
            states[i] = states[i] == Truth.Unknown || rs[i] == Truth.Unknown ? Truth.Unknown
                : (states[i] == rs[i]) == equal ? Truth.True : Truth.False;
        }
        frame.Return(buffer);
    }
}

/// <summary><c>x is null</c> / <c>x is not null</c>: never unknown. Any operand kind: number, text or condition.</summary>
internal sealed class NullCondition : ConditionNode
{
    private readonly NumberNode? _number;
    private readonly TextNode? _text;
    private readonly ConditionNode? _condition;
    private readonly bool _negated;

    public NullCondition(NumberNode number, bool negated) => (_number, _negated) = (number, negated);

    public NullCondition(TextNode text, bool negated) => (_text, _negated) = (text, negated);

    public NullCondition(ConditionNode condition, bool negated) => (_condition, _negated) = (condition, negated);

    public override void Evaluate(int start, Span<byte> states, Frame frame)
    {
        byte whenNull = _negated ? Truth.False : Truth.True, whenValue = _negated ? Truth.True : Truth.False;
        if (_number is not null)
        {
            var values = frame.RentDoubles();
            var nulls = frame.RentBytes();
            _number.Evaluate(start, values.AsSpan(0, states.Length), nulls.AsSpan(0, states.Length), frame);
            for (var i = 0; i < states.Length; i++) states[i] = nulls[i] != 0 || !double.IsFinite(values[i]) ? whenNull : whenValue;
            frame.Return(values);
            frame.Return(nulls);
        }
        else if (_text is not null)
        {
            for (var i = 0; i < states.Length; i++) states[i] = _text.Get(start + i) is null ? whenNull : whenValue;
        }
        else
        {
            _condition!.Evaluate(start, states, frame);
            for (var i = 0; i < states.Length; i++) states[i] = states[i] == Truth.Unknown ? whenNull : whenValue;
        }
    }
}

internal sealed class ConstantText(string value) : TextNode
{
    public override string? Get(int row) => value;
}

internal sealed class ColumnText(Column column) : TextNode
{
    public override string? Get(int row) => column.IsNull(row) ? null : column.GetString(row);
}
