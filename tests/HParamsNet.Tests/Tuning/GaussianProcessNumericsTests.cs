using FsCheck;
using FsCheck.Fluent;
using HParamsNet.Tuning.Strategies;
using MathNet.Numerics.LinearAlgebra;

namespace HParamsNet.Tests.Tuning;

/// <summary>
/// The GP's hand-written hot path (row-major Cholesky, L⁻ᵀ, K⁻¹, the likelihood from precomputed
/// pair distances, predictions through L⁻¹) against MathNet's dense linear algebra on random data.
/// </summary>
public class GaussianProcessNumericsTests
{
    [FsCheck.NUnit.Property(MaxTest = 200)]
    public Property Cholesky_factor_and_inverse_match_the_definition(PositiveInt size, int seed)
    {
        int n = 1 + (size.Get % 40);
        Matrix<double> a = RandomSpd(n, new Random(seed));
        double[] flat = Flat(a);

        bool factored = Cholesky.FactorInPlace(flat, n);
        Matrix<double> l = Matrix<double>.Build.Dense(n, n, (i, j) => flat[(i * n) + j]);
        double[] inverse = Cholesky.Inverse(Cholesky.InverseTranspose(flat, n), n);
        Matrix<double> product = a * Matrix<double>.Build.Dense(n, n, (i, j) => inverse[(i * n) + j]);

        double factorError = (l * l.Transpose() - a).InfinityNorm() / a.InfinityNorm();
        double inverseError = (product - Matrix<double>.Build.DenseIdentity(n)).InfinityNorm();
        return (factored && l.UpperTriangle().StrictlyUpperTriangle().InfinityNorm() == 0 && factorError < 1e-12 && inverseError < 1e-8)
            .Label($"n {n}: factored {factored}, |LLᵀ − A| {factorError:G3}, |A A⁻¹ − I| {inverseError:G3}");
    }

    [Test]
    public void Cholesky_refuses_a_matrix_that_is_not_positive_definite()
    {
        double[] a = [1, 2, 2, 1]; // eigenvalues 3 and −1

        Assert.That(Cholesky.FactorInPlace(a, 2), Is.False);
    }

    [FsCheck.NUnit.Property(MaxTest = 100)]
    public Property Likelihood_and_prediction_match_a_direct_computation(PositiveInt size, int seed)
    {
        var random = new Random(seed);
        int n = 2 + (size.Get % 25);
        int[] groups = [0, 1, 1, 2]; // the middle two columns share a length scale, as one-hot columns do
        double[][] x = [.. Enumerable.Range(0, n).Select(_ => Enumerable.Range(0, groups.Length).Select(_ => random.NextDouble()).ToArray())];
        double[] y = [.. Enumerable.Range(0, n).Select(_ => random.NextDouble() - 0.5)];
        double[] theta = [Math.Log(0.2 + random.NextDouble()), Math.Log(0.2 + random.NextDouble()), Math.Log(0.2 + random.NextDouble()), Math.Log(0.5 + random.NextDouble()), Math.Log(1e-3 + (0.1 * random.NextDouble()))];
        (double[] lengths, double signal, double noise) = GaussianProcess.Unpack(theta, groups);
        Matrix<double> k = Matrix<double>.Build.Dense(n, n, (i, j) => Matern52Kernel.Value(x[i], x[j], lengths, signal) + (i == j ? noise : 0));
        Vector<double> target = Vector<double>.Build.DenseOfArray(y);
        var cholesky = k.Cholesky();
        double logPrior = Enumerable.Range(0, 3).Sum(j => (3 * theta[j]) - (6 * Math.Exp(theta[j])))
            + ((2 * theta[3]) - (0.15 * Math.Exp(theta[3]))) + ((1.1 * theta[4]) - (0.05 * Math.Exp(theta[4])));
        double direct = (0.5 * target.DotProduct(cholesky.Solve(target))) + (0.5 * cholesky.DeterminantLn) + (0.5 * n * Math.Log(2 * Math.PI)) - logPrior;
        double[] point = [.. Enumerable.Range(0, groups.Length).Select(_ => random.NextDouble())];
        Vector<double> kStar = Vector<double>.Build.Dense(n, i => Matern52Kernel.Value(point, x[i], lengths, signal));
        double directMean = kStar.DotProduct(cholesky.Solve(target));
        double directVariance = signal - kStar.DotProduct(cholesky.Solve(kStar));

        double value = GaussianProcess.NegativeLogPosterior(x, y, theta, groups).Value;
        (double mean, double variance) = GaussianProcess.Fit(x, y, theta, groups)!.Predict(point);

        return (Math.Abs(value - direct) < 1e-8 * Math.Max(1, Math.Abs(direct))
                && Math.Abs(mean - directMean) < 1e-8
                && Math.Abs(variance - Math.Max(directVariance, 1e-12)) < 1e-8)
            .Label($"n {n}: value {value} vs {direct}, mean {mean} vs {directMean}, variance {variance} vs {directVariance}");
    }

    [TestCase(0.1, 1, 1)]
    [TestCase(0.1, 20, 20)]
    [TestCase(0.1, 21, 20)]
    [TestCase(0.1, 29, 28)]
    [TestCase(0.1, 100, 94)]
    [TestCase(0.1, 1000, 972)]
    [TestCase(0.0, 57, 57)]
    [TestCase(1.0, 10, 8)]
    public void Kernel_hyperparameters_are_refitted_at_points_growing_by_the_given_share(double growth, int completed, int refitPoint)
    {
        Assert.That(GpSearch.RefitPoint(completed, growth), Is.EqualTo(refitPoint));
    }

    [Test]
    public void A_refit_growth_outside_its_range_names_the_option()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new GpSearch(new GpOptions { RefitGrowth = -0.5 }));

        Assert.That(error!.Message, Does.Contain("RefitGrowth must be between 0 (refit at every proposal) and 10"));
    }

    private static Matrix<double> RandomSpd(int n, Random random)
    {
        Matrix<double> b = Matrix<double>.Build.Dense(n, n, (_, _) => random.NextDouble() - 0.5);
        return (b * b.Transpose()) + (0.1 * Matrix<double>.Build.DenseIdentity(n));
    }

    private static double[] Flat(Matrix<double> a)
    {
        int n = a.RowCount;
        var flat = new double[n * n];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                flat[(i * n) + j] = a[i, j];
            }
        }

        return flat;
    }
}
