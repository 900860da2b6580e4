namespace HParamsNet.Tuning.Strategies;

/// <summary>
/// The Matérn-5/2 kernel with one length scale per input (ARD):
/// k(x, x') = s² (1 + √5 r + 5/3 r²) exp(−√5 r), r² = Σ ((x_i − x'_i) / ℓ_i)².
/// </summary>
internal static class Matern52Kernel
{
    private static readonly double Sqrt5 = Math.Sqrt(5);

    public static double Value(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> lengthScales, double signalVariance)
    {
        double r2 = 0;
        for (int i = 0; i < x.Length; i++)
        {
            double d = (x[i] - y[i]) / lengthScales[i];
            r2 += d * d;
        }

        double r = Math.Sqrt(r2);
        return signalVariance * (1 + (Sqrt5 * r) + (5.0 / 3.0 * r2)) * Math.Exp(-Sqrt5 * r);
    }
}
