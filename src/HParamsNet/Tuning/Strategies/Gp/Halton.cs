namespace HParamsNet.Tuning.Strategies;

/// <summary>The Halton low-discrepancy sequence, with a Cranley–Patterson shift (mod 1).</summary>
internal static class Halton
{
    private static readonly int[] Primes = [2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53, 59, 61, 67, 71, 73, 79, 83, 89, 97, 101, 103, 107, 109, 113];

    public static double[] Point(int index, int dimensions, IReadOnlyList<double> shift)
    {
        var point = new double[dimensions];
        for (int d = 0; d < dimensions; d++)
        {
            double value = RadicalInverse(index, Primes[d % Primes.Length] + (d / Primes.Length * 2));
            point[d] = (value + shift[d]) % 1.0;
        }

        return point;
    }

    private static double RadicalInverse(int index, int radix)
    {
        double result = 0;
        double fraction = 1.0 / radix;
        for (int i = index; i > 0; i /= radix)
        {
            result += (i % radix) * fraction;
            fraction /= radix;
        }

        return result;
    }
}
