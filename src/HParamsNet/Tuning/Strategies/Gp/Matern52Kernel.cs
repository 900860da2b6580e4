using System.Numerics.Tensors;

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

        return OfDistance(Math.Sqrt(r2), signalVariance);
    }

    /// <summary>The kernel at scaled distance <paramref name="r"/>.</summary>
    public static double OfDistance(double r, double signalVariance) =>
        signalVariance * (1 + (Sqrt5 * r) + (5.0 / 3.0 * r * r)) * Math.Exp(-Sqrt5 * r);

    /// <summary>
    /// The kernel at each scaled distance in <paramref name="distances"/>, overwritten in place: a
    /// prediction needs one value per training point, and the exponentials are the most of its cost,
    /// so they are taken as one vector.
    /// </summary>
    public static void OfDistances(Span<double> distances, double signalVariance, Span<double> scratch)
    {
        TensorPrimitives.Multiply(distances, -Sqrt5, scratch);
        TensorPrimitives.Exp(scratch, scratch);
        for (int i = 0; i < distances.Length; i++)
        {
            double t = Sqrt5 * distances[i];
            distances[i] = signalVariance * (1 + t + (t * t / 3)) * scratch[i];
        }
    }
}
