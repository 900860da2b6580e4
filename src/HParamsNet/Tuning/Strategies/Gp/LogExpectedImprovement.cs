namespace HParamsNet.Tuning.Strategies;

/// <summary>
/// The logarithm of expected improvement, computed without underflow far in the tail (where EI
/// itself rounds to zero and a plain log would give -infinity, stalling the acquisition search).
/// </summary>
internal static class LogExpectedImprovement
{
    private const double LogSqrtTwoPi = 0.91893853320467274178;

    /// <summary>log EI for minimisation: best observed <paramref name="best"/>, posterior mean and standard deviation.</summary>
    public static double Compute(double mean, double sigma, double best)
    {
        if (!(sigma > 0))
        {
            return mean < best ? Math.Log(best - mean) : double.NegativeInfinity;
        }

        double z = (best - mean) / sigma;
        return Math.Log(sigma) + LogH(z);
    }

    /// <summary>log(z Φ(z) + φ(z)), the standardised EI, stable for every z.</summary>
    public static double LogH(double z)
    {
        if (z > -8)
        {
            double h = (z * Normal.Cdf(z)) + Math.Exp(Normal.LogPdf(z));
            return Math.Log(Math.Max(h, double.Epsilon));
        }

        // z Φ(z) + φ(z) = φ(z) (1 - |z| R(|z|)), R the Mills ratio; its asymptotic series gives
        // 1/z² - 3/z⁴ + 15/z⁶ - 105/z⁸ + 945/z¹⁰ (relative error below 1e-5 beyond |z| = 8).
        double inv2 = 1 / (z * z);
        double series = inv2 * (1 - (inv2 * (3 - (inv2 * (15 - (inv2 * (105 - (945 * inv2))))))));
        return (-0.5 * z * z) - LogSqrtTwoPi + Math.Log(series);
    }
}
