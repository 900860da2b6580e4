using HParamsNet.Tuning.Strategies;

namespace HParamsNet.Tests.Tuning;

/// <summary>What the GP's kernel fit makes of a deterministic objective.</summary>
public class GpPrecisionTests
{
    [TestCase(0)]
    [TestCase(1)]
    public void On_noiseless_data_the_fit_chooses_a_noise_below_a_millionth_of_the_targets_spread(int seed)
    {
        // Regression: the noise variance had a floor of 1e-6 (of the standardised targets), which
        // blurred the last digits of deterministic objectives: the suite's medians stopped at
        // hartmann6 8.9e-5 and mixed_mlp 2.5e-7 after 100 trials (9.9e-6 and 1.5e-8 at 1e-10).
        var random = new Random(seed);
        double[][] x = [.. Enumerable.Range(0, 150).Select(_ => new[] { random.NextDouble(), random.NextDouble() })];
        double[] raw = [.. x.Select(p => Math.Sin(3 * p[0]) + Math.Pow(p[1] - 0.4, 2))];
        double mean = raw.Average();
        double std = Math.Sqrt(raw.Average(v => (v - mean) * (v - mean)));

        double[] theta = new GpSearch().FitHyperparameters(new GpTrainingSet(x, [.. raw.Select(v => (v - mean) / std)], [0, 1]));

        double noise = GaussianProcess.Unpack(theta, [0, 1]).Noise;
        Assert.That(noise, Is.LessThan(1e-7));
        Assert.That(noise, Is.GreaterThanOrEqualTo(GaussianProcess.MinNoise));
    }
}
