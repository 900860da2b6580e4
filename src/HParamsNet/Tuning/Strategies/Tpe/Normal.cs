namespace HParamsNet;

/// <summary>The standard normal distribution's pieces that kernel density estimators need.</summary>
internal static class Normal
{
    private const double LogSqrtTwoPi = 0.91893853320467274178;

    /// <summary>log φ(z).</summary>
    public static double LogPdf(double z) => (-0.5 * z * z) - LogSqrtTwoPi;

    /// <summary>Φ(z).</summary>
    public static double Cdf(double z) => 0.5 * Erfc(-z / Math.Sqrt(2));

    /// <summary>
    /// The complementary error function, by its Chebyshev fit (Numerical Recipes' erfcc):
    /// relative error below 1.2e-7 everywhere, enough for kernel normalisation.
    /// </summary>
    public static double Erfc(double x)
    {
        double z = Math.Abs(x);
        double t = 1.0 / (1.0 + (0.5 * z));
        double[] c = [-1.26551223, 1.00002368, 0.37409196, 0.09678418, -0.18628806, 0.27886807, -1.13520398, 1.48851587, -0.82215223, 0.17087277];
        double poly = c[^1];
        for (int i = c.Length - 2; i >= 0; i--)
        {
            poly = c[i] + (t * poly);
        }

        double ans = t * Math.Exp(-(z * z) + poly);
        return x >= 0 ? ans : 2.0 - ans;
    }

    /// <summary>log of the density of N(mu, sigma) truncated to [low, high], at x.</summary>
    public static double TruncatedLogPdf(double x, double mu, double sigma, double low, double high)
    {
        double mass = Cdf((high - mu) / sigma) - Cdf((low - mu) / sigma);
        return LogPdf((x - mu) / sigma) - Math.Log(sigma) - Math.Log(Math.Max(mass, 1e-300));
    }

    /// <summary>A draw from N(mu, sigma) truncated to [low, high] (rejection; clamped after many misses).</summary>
    public static double SampleTruncated(Random random, double mu, double sigma, double low, double high)
    {
        for (int attempt = 0; attempt < 100; attempt++)
        {
            double x = mu + (sigma * Gaussian(random));
            if (x >= low && x <= high)
            {
                return x;
            }
        }

        return Math.Clamp(mu, low, high);
    }

    /// <summary>A standard normal draw (Box-Muller).</summary>
    public static double Gaussian(Random random)
    {
        double u1 = 1.0 - random.NextDouble();
        double u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }
}
