using System.Numerics.Tensors;

namespace HParamsNet.Tuning.Strategies;

/// <summary>
/// Cholesky factorisation of a symmetric positive-definite matrix, with the solves a GP needs.
/// Hand-written because it is the GP's hot path: matrices are n × n row-major arrays, and every
/// inner loop is a dot product of two contiguous row segments, which <see cref="TensorPrimitives"/>
/// vectorises (a general library's column-oriented loops, or double[,] with its bounds checks, cost
/// three to four times as much at the sizes a tuner fits, 10 to 200 points).
/// </summary>
internal static class Cholesky
{
    /// <summary>
    /// Overwrites the lower triangle of <paramref name="a"/> (n × n, row-major; the upper triangle
    /// is ignored) with L, A = L Lᵀ, and zeroes the upper one. False if A is not (numerically)
    /// positive definite; <paramref name="a"/> is then partly overwritten.
    /// </summary>
    public static bool FactorInPlace(Span<double> a, int n)
    {
        for (int i = 0; i < n; i++)
        {
            Span<double> rowI = a.Slice(i * n, n);
            for (int j = 0; j < i; j++)
            {
                ReadOnlySpan<double> rowJ = a.Slice(j * n, j);
                rowI[j] = (rowI[j] - TensorPrimitives.Dot(rowI[..j], rowJ)) / a[(j * n) + j];
            }

            double diagonal = rowI[i] - TensorPrimitives.Dot(rowI[..i], rowI[..i]);
            if (!(diagonal > 0))
            {
                return false;
            }

            rowI[i] = Math.Sqrt(diagonal);
            rowI[(i + 1)..].Clear();
        }

        return true;
    }

    /// <summary>Solves L x = b (forward substitution).</summary>
    public static double[] SolveLower(ReadOnlySpan<double> l, int n, ReadOnlySpan<double> b)
    {
        var x = new double[n];
        for (int i = 0; i < n; i++)
        {
            x[i] = (b[i] - TensorPrimitives.Dot(l.Slice(i * n, i), x.AsSpan(0, i))) / l[(i * n) + i];
        }

        return x;
    }

    /// <summary>Solves Lᵀ x = b (back substitution; L read by column, O(n²) once per fit).</summary>
    public static double[] SolveUpper(ReadOnlySpan<double> l, int n, ReadOnlySpan<double> b)
    {
        var x = new double[n];
        for (int i = n - 1; i >= 0; i--)
        {
            double sum = b[i];
            for (int k = i + 1; k < n; k++)
            {
                sum -= l[(k * n) + i] * x[k];
            }

            x[i] = sum / l[(i * n) + i];
        }

        return x;
    }

    /// <summary>
    /// U = L⁻ᵀ (upper triangular, row-major): row j of U is column j of L⁻¹, so that both the
    /// substitution that builds it and the products <see cref="Inverse"/> takes of it run along rows.
    /// </summary>
    public static double[] InverseTranspose(ReadOnlySpan<double> l, int n)
    {
        var u = new double[n * n];
        for (int j = 0; j < n; j++)
        {
            Span<double> rowJ = u.AsSpan(j * n, n);
            rowJ[j] = 1 / l[(j * n) + j];
            for (int i = j + 1; i < n; i++)
            {
                // (L⁻¹)[i, j] = −Σ_{k=j}^{i−1} L[i, k] (L⁻¹)[k, j] / L[i, i]
                rowJ[i] = -TensorPrimitives.Dot(l.Slice((i * n) + j, i - j), rowJ[j..i]) / l[(i * n) + i];
            }
        }

        return u;
    }

    /// <summary>A⁻¹ = L⁻ᵀ L⁻¹ = U Uᵀ from U = L⁻ᵀ (symmetric; each entry a dot product of two row tails).</summary>
    public static double[] Inverse(ReadOnlySpan<double> u, int n)
    {
        var inverse = new double[n * n];
        for (int i = 0; i < n; i++)
        {
            ReadOnlySpan<double> tailI = u.Slice((i * n) + i, n - i);
            for (int j = 0; j <= i; j++)
            {
                double value = TensorPrimitives.Dot(tailI, u.Slice((j * n) + i, n - i));
                inverse[(i * n) + j] = value;
                inverse[(j * n) + i] = value;
            }
        }

        return inverse;
    }
}
