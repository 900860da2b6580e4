using HParamsNet;
using HParamsNet.Tuning.Strategies;

namespace HParamsNet.Tests.Tuning;

/// <summary>The GP's numerics against closed forms and finite differences.</summary>
public class GaussianProcessTests
{
    private static readonly double[][] X = [[0.1, 0.2], [0.4, 0.9], [0.8, 0.5]];
    private static readonly double[] Y = [0.5, -1.0, 0.3];
    private static readonly int[] Groups = [0, 1];

    [Test]
    public void Posterior_mean_and_variance_match_the_closed_form_on_a_tiny_case()
    {
        // One training point: mean = k(x*, x1) y1 / (s² + σ²), variance = s² − k² / (s² + σ²).
        double[] theta = [Math.Log(0.3), Math.Log(0.7), Math.Log(1.5), Math.Log(0.01)];
        double[][] x = [[0.2, 0.4]];
        double[] y = [0.8];
        GaussianProcess gp = GaussianProcess.Fit(x, y, theta, Groups)!;
        double[] point = [0.35, 0.5];
        double k = Matern52Kernel.Value(point, x[0], [0.3, 0.7], 1.5);

        (double mean, double variance) = gp.Predict(point);

        Assert.That(mean, Is.EqualTo(k * 0.8 / 1.51).Within(1e-12));
        Assert.That(variance, Is.EqualTo(1.5 - (k * k / 1.51)).Within(1e-12));
    }

    [Test]
    public void Matern_kernel_matches_its_formula()
    {
        double r = Math.Sqrt(Math.Pow(0.3 / 0.5, 2) + Math.Pow(0.4 / 2.0, 2));
        double expected = 2.0 * (1 + (Math.Sqrt(5) * r) + (5.0 / 3.0 * r * r)) * Math.Exp(-Math.Sqrt(5) * r);

        Assert.That(Matern52Kernel.Value([0.1, 0.1], [0.4, 0.5], [0.5, 2.0], 2.0), Is.EqualTo(expected).Within(1e-14));
    }

    [Test]
    public void Marginal_likelihood_gradient_matches_finite_differences()
    {
        double[] theta = [Math.Log(0.4), Math.Log(0.25), Math.Log(1.3), Math.Log(0.05)];
        (_, double[] gradient) = GaussianProcess.NegativeLogPosterior(X, Y, theta, Groups);

        for (int j = 0; j < theta.Length; j++)
        {
            const double H = 1e-6;
            double[] up = (double[])theta.Clone();
            double[] down = (double[])theta.Clone();
            up[j] += H;
            down[j] -= H;
            double numeric = (GaussianProcess.NegativeLogPosterior(X, Y, up, Groups).Value - GaussianProcess.NegativeLogPosterior(X, Y, down, Groups).Value) / (2 * H);
            Assert.That(gradient[j], Is.EqualTo(numeric).Within(1e-5 * Math.Max(1, Math.Abs(numeric))), $"θ[{j}]");
        }
    }

    // log(z Φ(z) + φ(z)) from CPython's math.erfc (accurate to ~1e-16), z = (best − mean) / σ.
    [TestCase(2.0, 0.6973835457882284)]
    [TestCase(0.0, -0.9189385332046727)]
    [TestCase(-1.5, -3.5299359208057104)]
    [TestCase(-5.0, -16.744301162661053)]
    [TestCase(-10.0, -55.55312203612325)]
    public void Log_ei_matches_the_closed_form(double z, double logH)
    {
        const double Sigma = 0.7;

        double actual = LogExpectedImprovement.Compute(mean: 1.0, sigma: Sigma, best: 1.0 + (z * Sigma));

        Assert.That(actual, Is.EqualTo(Math.Log(Sigma) + logH).Within(1e-6 * Math.Max(1, Math.Abs(logH))));
    }

    [Test]
    public void Log_ei_stays_finite_and_accurate_far_in_the_tail()
    {
        // For z → −∞: log h(z) = log φ(z) − 2 log|z| + log(1 − 3/z² + 15/z⁴ − …).
        foreach (double z in new[] { -10.0, -40.0, -300.0 })
        {
            double leading = (-0.5 * z * z) - (0.5 * Math.Log(2 * Math.PI)) - (2 * Math.Log(-z)) + Math.Log(1 - (3 / (z * z)) + (15 / Math.Pow(z, 4)));
            double value = LogExpectedImprovement.LogH(z);
            Assert.That(double.IsFinite(value), Is.True, $"z = {z}");
            Assert.That(value, Is.EqualTo(leading).Within(1e-4 * Math.Abs(leading)), $"z = {z}");
        }

        Assert.That(LogExpectedImprovement.LogH(-8.000001), Is.EqualTo(LogExpectedImprovement.LogH(-7.999999)).Within(1e-4), "continuous where the formula switches");
    }
}
