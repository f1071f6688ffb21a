using System.Numerics;
using System.Runtime.InteropServices;

namespace Vigil.Validation.Rules.Expressions;

/// <summary>Element-wise operations over spans, a <see cref="Vector{T}"/> at a time with a scalar tail.</summary>
internal static class VectorKernels
{
    private const long UnixEpochTicks = 621_355_968_000_000_000;

    public interface IBinaryOperation
    {
        static abstract Vector<double> Apply(Vector<double> left, Vector<double> right);
        static abstract double Apply(double left, double right);
    }

    public readonly struct AddOperation : IBinaryOperation
    {
        public static Vector<double> Apply(Vector<double> left, Vector<double> right) => left + right;
        public static double Apply(double left, double right) => left + right;
    }

    public readonly struct SubtractOperation : IBinaryOperation
    {
        public static Vector<double> Apply(Vector<double> left, Vector<double> right) => left - right;
        public static double Apply(double left, double right) => left - right;
    }

    public readonly struct MultiplyOperation : IBinaryOperation
    {
        public static Vector<double> Apply(Vector<double> left, Vector<double> right) => left * right;
        public static double Apply(double left, double right) => left * right;
    }

    public readonly struct DivideOperation : IBinaryOperation
    {
        public static Vector<double> Apply(Vector<double> left, Vector<double> right) => left / right;
        public static double Apply(double left, double right) => left / right;
    }

    /// <summary><paramref name="left"/>[i] = left[i] op right[i].</summary>
    public static void Apply<TOperation>(Span<double> left, ReadOnlySpan<double> right) where TOperation : IBinaryOperation
    {
        var vl = MemoryMarshal.Cast<double, Vector<double>>(left);
        var vr = MemoryMarshal.Cast<double, Vector<double>>(right[..left.Length]);
        for (var k = 0; k < vl.Length; k++) vl[k] = TOperation.Apply(vl[k], vr[k]);
        for (var i = vl.Length * Vector<double>.Count; i < left.Length; i++) left[i] = TOperation.Apply(left[i], right[i]);
    }

    public static void Negate(Span<double> values)
    {
        var v = MemoryMarshal.Cast<double, Vector<double>>(values);
        for (var k = 0; k < v.Length; k++) v[k] = -v[k];
        for (var i = v.Length * Vector<double>.Count; i < values.Length; i++) values[i] = -values[i];
    }

    public static void Abs(Span<double> values)
    {
        var v = MemoryMarshal.Cast<double, Vector<double>>(values);
        for (var k = 0; k < v.Length; k++) v[k] = Vector.Abs(v[k]);
        for (var i = v.Length * Vector<double>.Count; i < values.Length; i++) values[i] = Math.Abs(values[i]);
    }

    /// <summary><paramref name="target"/>[i] |= source[i].</summary>
    public static void Or(Span<byte> target, ReadOnlySpan<byte> source)
    {
        var vt = MemoryMarshal.Cast<byte, Vector<byte>>(target);
        var vs = MemoryMarshal.Cast<byte, Vector<byte>>(source[..target.Length]);
        for (var k = 0; k < vt.Length; k++) vt[k] |= vs[k];
        for (var i = vt.Length * Vector<byte>.Count; i < target.Length; i++) target[i] |= source[i];
    }

    public static void ToDouble(ReadOnlySpan<long> source, Span<double> target)
    {
        var vs = MemoryMarshal.Cast<long, Vector<long>>(source[..target.Length]);
        var vt = MemoryMarshal.Cast<double, Vector<double>>(target);
        for (var k = 0; k < vs.Length; k++) vt[k] = Vector.ConvertToDouble(vs[k]);
        for (var i = vs.Length * Vector<long>.Count; i < target.Length; i++) target[i] = source[i];
    }

    /// <summary>UTC ticks to Unix seconds (the epoch is subtracted as integers first, so no precision is lost).</summary>
    public static void TicksToUnixSeconds(ReadOnlySpan<long> ticks, Span<double> seconds)
    {
        var vs = MemoryMarshal.Cast<long, Vector<long>>(ticks[..seconds.Length]);
        var vt = MemoryMarshal.Cast<double, Vector<double>>(seconds);
        var epoch = new Vector<long>(UnixEpochTicks);
        var scale = new Vector<double>(1e-7);
        for (var k = 0; k < vs.Length; k++) vt[k] = Vector.ConvertToDouble(vs[k] - epoch) * scale;
        for (var i = vs.Length * Vector<long>.Count; i < seconds.Length; i++) seconds[i] = (ticks[i] - UnixEpochTicks) * 1e-7;
    }

    public static double UnixSeconds(DateTimeOffset timestamp) => (timestamp.UtcTicks - UnixEpochTicks) * 1e-7;
}
