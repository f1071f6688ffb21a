namespace Vigil.Scoring.UnitTests.Onnx;

/// <summary>ONNX Runtime against the managed scorer: equal within 1e-4, relative to the value where it exceeds 1.</summary>
internal static class Parity
{
    public const double Tolerance = 1e-4;

    public static void Equal(IReadOnlyList<float> managed, IReadOnlyList<float> onnx, string what)
    {
        Assert.Equal(managed.Count, onnx.Count);
        var worst = 0.0;
        var at = -1;
        for (var i = 0; i < managed.Count; i++)
        {
            var difference = Math.Abs((double)managed[i] - onnx[i]) / Math.Max(1, Math.Abs((double)managed[i]));
            if (difference > worst || double.IsNaN(difference)) (worst, at) = (double.IsNaN(difference) ? double.PositiveInfinity : difference, i);
        }
        Assert.True(worst <= Tolerance, $"{what}: element {at} is {managed[Math.Max(at, 0)]} managed but {onnx[Math.Max(at, 0)]} on ONNX Runtime.");
    }

    public static void Equal(IReadOnlyList<double> managed, IReadOnlyList<double> onnx, string what) =>
        Equal([.. managed.Select(v => (float)v)], [.. onnx.Select(v => (float)v)], what);
}
