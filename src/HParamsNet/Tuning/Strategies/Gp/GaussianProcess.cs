using System.Numerics.Tensors;

namespace HParamsNet.Tuning.Strategies;

/// <summary>
/// A Gaussian-process regression model with a Matérn-5/2 ARD kernel and Gaussian noise, over
/// standardised targets. Hyperparameters θ = (log ℓ per length-scale group, log s², log σ²).
/// Inputs sharing a length-scale group (the one-hot columns of one categorical hparam) share ℓ.
/// </summary>
internal sealed class GaussianProcess
{
    /// <summary>
    /// The smallest noise variance (of standardised targets) a fit may choose. Deterministic
    /// objectives fit the floor; at 1e-6 it blurred differences below ~1e-3 of the targets' spread,
    /// which is where the suite's medians stopped improving (hartmann6 8.9e-5 at 100 trials, 1.0e-5
    /// at 1e-10). Noisy objectives fit a larger value and do not see it; the jitter of
    /// <see cref="FactorWithJitter"/> still rescues a kernel matrix that will not factor.
    /// </summary>
    internal const double MinNoise = 1e-10;

    // Priors (as BoTorch's defaults, in the unit cube): Gamma(3, 6) on each length scale,
    // Gamma(2, 0.15) on the signal variance, Gamma(1.1, 0.05) on the noise variance.
    private const double LengthAlpha = 3;
    private const double LengthBeta = 6;
    private const double SignalAlpha = 2;
    private const double SignalBeta = 0.15;
    private const double NoiseAlpha = 1.1;
    private const double NoiseBeta = 0.05;

    private static readonly double Sqrt5 = Math.Sqrt(5);

    private readonly double[] _scaledX; // each training point divided by the length scales, row-major
    private readonly double[] _inverseFactor; // L⁻¹, row-major: a prediction's variance is ‖L⁻¹ k‖²
    private readonly double[] _alpha;
    private readonly double[] _lengths;
    private readonly double _signal;

    private GaussianProcess(double[][] x, double[] inverseFactor, double[] alpha, double[] lengths, double signal)
    {
        _scaledX = new double[x.Length * lengths.Length];
        for (int i = 0; i < x.Length; i++)
        {
            TensorPrimitives.Divide(x[i], lengths, _scaledX.AsSpan(i * lengths.Length, lengths.Length));
        }

        _inverseFactor = inverseFactor;
        _alpha = alpha;
        _lengths = lengths;
        _signal = signal;
    }

    /// <summary>Conditions the process on data; null when the kernel matrix cannot be factored even with jitter.</summary>
    public static GaussianProcess? Fit(double[][] x, double[] y, double[] theta, int[] groups) => Fit(new GpTrainingSet(x, y, groups), theta);

    /// <inheritdoc cref="Fit(double[][], double[], double[], int[])"/>
    public static GaussianProcess? Fit(GpTrainingSet data, double[] theta)
    {
        int n = data.Count;
        (double[] lengths, double signal, double noise) = Unpack(theta, data.Groups);
        double[]? factor = FactorWithJitter(Kernel(data, theta, signal).Matrix, n, noise);
        if (factor is null)
        {
            return null;
        }

        double[] alpha = Cholesky.SolveUpper(factor, n, Cholesky.SolveLower(factor, n, data.Y));
        double[] u = Cholesky.InverseTranspose(factor, n);
        var inverseFactor = new double[n * n];
        for (int i = 0; i < n; i++)
        {
            for (int j = i; j < n; j++)
            {
                inverseFactor[(j * n) + i] = u[(i * n) + j];
            }
        }

        return new GaussianProcess(data.X, inverseFactor, alpha, lengths, signal);
    }

    /// <summary>Posterior mean and variance of the latent function at <paramref name="point"/>.</summary>
    public (double Mean, double Variance) Predict(double[] point)
    {
        int n = _alpha.Length;
        int columns = _lengths.Length;
        Span<double> query = columns <= 64 ? stackalloc double[columns] : new double[columns];
        TensorPrimitives.Divide(point, _lengths, query);
        var k = new double[n];
        for (int i = 0; i < n; i++)
        {
            k[i] = TensorPrimitives.Distance(query, _scaledX.AsSpan(i * columns, columns));
        }

        Matern52Kernel.OfDistances(k, _signal, new double[n]);
        double mean = TensorPrimitives.Dot<double>(k, _alpha);
        double variance = _signal;
        for (int i = 0; i < n; i++)
        {
            double v = TensorPrimitives.Dot(_inverseFactor.AsSpan(i * n, i + 1), k.AsSpan(0, i + 1));
            variance -= v * v;
        }

        return (mean, Math.Max(variance, 1e-12));
    }

    /// <inheritdoc cref="NegativeLogPosterior(GpTrainingSet, double[])"/>
    public static (double Value, double[] Gradient) NegativeLogPosterior(double[][] x, double[] y, double[] theta, int[] groups) =>
        NegativeLogPosterior(new GpTrainingSet(x, y, groups), theta);

    /// <summary>
    /// The negative log marginal likelihood plus negative log prior, and its gradient in θ
    /// (what the hyperparameter search minimises). +∞ when the matrix cannot be factored.
    /// </summary>
    public static (double Value, double[] Gradient) NegativeLogPosterior(GpTrainingSet data, double[] theta)
    {
        int n = data.Count;
        int groupCount = data.GroupCount;
        int lengthParameters = theta.Length - 2;
        (_, double signal, double noise) = Unpack(theta, data.Groups);
        (double[] matrix, double[] pairValues, double[] pairSlopes, double[] inverseSquares) = Kernel(data, theta, signal);
        double[]? factor = FactorWithJitter(matrix, n, noise);
        var gradient = new double[theta.Length];
        if (factor is null)
        {
            return (double.PositiveInfinity, gradient);
        }

        double[] y = data.Y;
        double[] alpha = Cholesky.SolveUpper(factor, n, Cholesky.SolveLower(factor, n, y));
        double logDeterminant = 0;
        for (int i = 0; i < n; i++)
        {
            logDeterminant += 2 * Math.Log(factor[(i * n) + i]);
        }

        double fit = TensorPrimitives.Dot<double>(y, alpha);
        double value = (0.5 * fit) + (0.5 * logDeterminant) + (0.5 * n * Math.Log(2 * Math.PI));

        // ∂(−log L)/∂θ_j = −½ tr(W ∂K/∂θ_j), W = ααᵀ − K⁻¹ (symmetric). Diagonal terms carry the signal
        // variance and the noise; off-diagonal ones come in symmetric pairs and carry the length scales:
        // ∂k/∂log ℓ_g = s² (5/3) (1 + √5 r) exp(−√5 r) Σ_{c in g} (x_ic − x_jc)² / ℓ_g².
        double[] inverse = Cholesky.Inverse(Cholesky.InverseTranspose(factor, n), n);
        double[] distances = data.PairDistances;
        for (int i = 0; i < n; i++)
        {
            double wii = (alpha[i] * alpha[i]) - inverse[(i * n) + i];
            gradient[lengthParameters] -= 0.5 * wii * signal;
            gradient[lengthParameters + 1] -= 0.5 * wii * noise;
            for (int j = 0; j < i; j++)
            {
                int pair = (i * (i - 1) / 2) + j;
                double wij = (alpha[i] * alpha[j]) - inverse[(i * n) + j];
                gradient[lengthParameters] -= wij * pairValues[pair];
                double slope = wij * pairSlopes[pair];
                int offset = pair * groupCount;
                for (int g = 0; g < groupCount; g++)
                {
                    gradient[g] -= slope * distances[offset + g] * inverseSquares[g];
                }
            }
        }

        // Priors on ℓ, s², σ² as densities in log space: log p(θ) = α θ − β e^θ (+ const).
        for (int j = 0; j < lengthParameters; j++)
        {
            value -= (LengthAlpha * theta[j]) - (LengthBeta * Math.Exp(theta[j]));
            gradient[j] -= LengthAlpha - (LengthBeta * Math.Exp(theta[j]));
        }

        value -= (SignalAlpha * theta[lengthParameters]) - (SignalBeta * Math.Exp(theta[lengthParameters]));
        gradient[lengthParameters] -= SignalAlpha - (SignalBeta * Math.Exp(theta[lengthParameters]));
        value -= (NoiseAlpha * theta[lengthParameters + 1]) - (NoiseBeta * Math.Exp(theta[lengthParameters + 1]));
        gradient[lengthParameters + 1] -= NoiseAlpha - (NoiseBeta * Math.Exp(theta[lengthParameters + 1]));
        return (value, gradient);
    }

    /// <summary>Length scales per input column, signal and noise variance, from θ.</summary>
    public static (double[] Lengths, double Signal, double Noise) Unpack(double[] theta, int[] groups)
    {
        var lengths = new double[groups.Length];
        for (int c = 0; c < groups.Length; c++)
        {
            lengths[c] = Math.Exp(theta[groups[c]]);
        }

        return (lengths, Math.Exp(theta[^2]), Math.Max(Math.Exp(theta[^1]), MinNoise));
    }

    // The kernel matrix (n × n, row-major) and, per pair (j < i), its value and s² (5/3)(1 + √5 r) exp(−√5 r),
    // the factor of the length-scale gradient; 1/ℓ_g² per group.
    private static (double[] Matrix, double[] PairValues, double[] PairSlopes, double[] InverseSquares) Kernel(GpTrainingSet data, double[] theta, double signal)
    {
        int n = data.Count;
        int groupCount = data.GroupCount;
        var inverseSquares = new double[groupCount];
        for (int g = 0; g < groupCount; g++)
        {
            inverseSquares[g] = Math.Exp(-2 * theta[g]);
        }

        var matrix = new double[n * n];
        var pairValues = new double[n * (n - 1) / 2];
        var pairSlopes = new double[pairValues.Length];
        double[] distances = data.PairDistances;
        for (int i = 0; i < n; i++)
        {
            matrix[(i * n) + i] = signal;
            for (int j = 0; j < i; j++)
            {
                int pair = (i * (i - 1) / 2) + j;
                double r2 = TensorPrimitives.Dot(distances.AsSpan(pair * groupCount, groupCount), inverseSquares);
                double r = Math.Sqrt(r2);
                double decay = signal * Math.Exp(-Sqrt5 * r);
                double value = decay * (1 + (Sqrt5 * r) + (5.0 / 3.0 * r2)); // Matern52Kernel.OfDistance, sharing its exponential with the slope
                matrix[(i * n) + j] = value;
                matrix[(j * n) + i] = value;
                pairValues[pair] = value;
                pairSlopes[pair] = decay * (5.0 / 3.0) * (1 + (Sqrt5 * r));
            }
        }

        return (matrix, pairValues, pairSlopes, inverseSquares);
    }

    // The factor of K + (σ² + jitter) I, with jitter raised tenfold from 0 up to 1e-2 of the signal until it factors.
    private static double[]? FactorWithJitter(double[] signalMatrix, int n, double noise)
    {
        double scale = n > 0 ? signalMatrix[0] : 1;
        double jitter = 0;
        for (int attempt = 0; attempt < 8; attempt++)
        {
            double[] a = (double[])signalMatrix.Clone();
            for (int i = 0; i < n; i++)
            {
                a[(i * n) + i] += noise + jitter;
            }

            if (Cholesky.FactorInPlace(a, n))
            {
                return a;
            }

            jitter = jitter == 0 ? 1e-9 * scale : jitter * 10;
        }

        return null;
    }
}
