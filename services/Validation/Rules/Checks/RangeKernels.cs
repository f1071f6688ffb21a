using System.Numerics;
using System.Runtime.InteropServices;

namespace Vigil.Validation.Rules.Checks;

/// <summary>Counts values outside an inclusive interval, a <see cref="Vector{T}"/> at a time where a chunk has no nulls.</summary>
internal static class RangeKernels
{
    public static (long Below, long Above) CountOutside(ReadOnlySpan<long> values, ReadOnlySpan<byte> nulls, long low, long high)
    {
        long below = 0, above = 0;
        if (nulls.Contains((byte)1))
        {
            for (var i = 0; i < values.Length; i++)
            {
                var present = nulls[i] ^ 1;
                below += (values[i] < low ? 1 : 0) & present;
                above += (values[i] > high ? 1 : 0) & present;
            }
            return (below, above);
        }
        var vectors = MemoryMarshal.Cast<long, Vector<long>>(values);
        Vector<long> vlow = new(low), vhigh = new(high), accBelow = Vector<long>.Zero, accAbove = Vector<long>.Zero;
        foreach (var v in vectors)
        {
            accBelow -= Vector.LessThan(v, vlow);
            accAbove -= Vector.GreaterThan(v, vhigh);
        }
        below = Vector.Sum(accBelow);
        above = Vector.Sum(accAbove);
        for (var i = vectors.Length * Vector<long>.Count; i < values.Length; i++)
        {
            below += values[i] < low ? 1 : 0;
            above += values[i] > high ? 1 : 0;
        }
        return (below, above);
    }

    public static (long Below, long Above) CountOutside(ReadOnlySpan<double> values, ReadOnlySpan<byte> nulls, double low, double high)
    {
        long below = 0, above = 0;
        if (nulls.Contains((byte)1))
        {
            for (var i = 0; i < values.Length; i++)
            {
                var present = nulls[i] ^ 1;
                below += (values[i] < low ? 1 : 0) & present;
                above += (values[i] > high ? 1 : 0) & present;
            }
            return (below, above);
        }
        var vectors = MemoryMarshal.Cast<double, Vector<double>>(values);
        Vector<double> vlow = new(low), vhigh = new(high);
        Vector<long> accBelow = Vector<long>.Zero, accAbove = Vector<long>.Zero;
        foreach (var v in vectors)
        {
            accBelow -= Vector.LessThan(v, vlow);
            accAbove -= Vector.GreaterThan(v, vhigh);
        }
        below = Vector.Sum(accBelow);
        above = Vector.Sum(accAbove);
        for (var i = vectors.Length * Vector<double>.Count; i < values.Length; i++)
        {
            below += values[i] < low ? 1 : 0;
            above += values[i] > high ? 1 : 0;
        }
        return (below, above);
    }
}
