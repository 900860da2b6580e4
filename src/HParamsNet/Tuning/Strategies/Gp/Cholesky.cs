namespace HParamsNet.Tuning.Strategies;

/// <summary>Cholesky factorisation of a symmetric positive-definite matrix, with the solves a GP needs.</summary>
internal static class Cholesky
{
    /// <summary>The lower factor L with A = L Lᵀ, or null if A is not (numerically) positive definite.</summary>
    public static double[,]? Factor(double[,] a)
    {
        int n = a.GetLength(0);
        var l = new double[n, n];
        for (int j = 0; j < n; j++)
        {
            double diagonal = a[j, j];
            for (int k = 0; k < j; k++)
            {
                diagonal -= l[j, k] * l[j, k];
            }

            if (!(diagonal > 0))
            {
                return null;
            }

            double root = Math.Sqrt(diagonal);
            l[j, j] = root;
            for (int i = j + 1; i < n; i++)
            {
                double sum = a[i, j];
                for (int k = 0; k < j; k++)
                {
                    sum -= l[i, k] * l[j, k];
                }

                l[i, j] = sum / root;
            }
        }

        return l;
    }

    /// <summary>Solves L x = b (forward substitution).</summary>
    public static double[] SolveLower(double[,] l, ReadOnlySpan<double> b)
    {
        int n = b.Length;
        var x = new double[n];
        for (int i = 0; i < n; i++)
        {
            double sum = b[i];
            for (int k = 0; k < i; k++)
            {
                sum -= l[i, k] * x[k];
            }

            x[i] = sum / l[i, i];
        }

        return x;
    }

    /// <summary>Solves Lᵀ x = b (back substitution).</summary>
    public static double[] SolveUpper(double[,] l, ReadOnlySpan<double> b)
    {
        int n = b.Length;
        var x = new double[n];
        for (int i = n - 1; i >= 0; i--)
        {
            double sum = b[i];
            for (int k = i + 1; k < n; k++)
            {
                sum -= l[k, i] * x[k];
            }

            x[i] = sum / l[i, i];
        }

        return x;
    }

    /// <summary>A⁻¹ from its factor: L⁻¹ by forward substitution, then L⁻ᵀ L⁻¹ (symmetric, half computed).</summary>
    public static double[,] Inverse(double[,] l)
    {
        int n = l.GetLength(0);
        var lInv = new double[n, n];
        for (int j = 0; j < n; j++)
        {
            lInv[j, j] = 1 / l[j, j];
            for (int i = j + 1; i < n; i++)
            {
                double sum = 0;
                for (int k = j; k < i; k++)
                {
                    sum -= l[i, k] * lInv[k, j];
                }

                lInv[i, j] = sum / l[i, i];
            }
        }

        var inverse = new double[n, n];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j <= i; j++)
            {
                double sum = 0;
                for (int k = i; k < n; k++)
                {
                    sum += lInv[k, i] * lInv[k, j];
                }

                inverse[i, j] = inverse[j, i] = sum;
            }
        }

        return inverse;
    }
}
