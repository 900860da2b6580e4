namespace HParamsNet.Tuning.Strategies;

/// <summary>The standard normal distribution's pieces that kernel density estimators need.</summary>
internal static class Normal
{
    private const double LogSqrtTwoPi = 0.91893853320467274178;

    /// <summary>log φ(z).</summary>
    public static double LogPdf(double z) => (-0.5 * z * z) - LogSqrtTwoPi;

    /// <summary>Φ(z), from MathNet's complementary error function (accurate to double precision).</summary>
    public static double Cdf(double z) => 0.5 * MathNet.Numerics.SpecialFunctions.Erfc(-z / Math.Sqrt(2));

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
