namespace HParamsNet.Tuning.Strategies;

/// <summary>
/// A Gaussian-process regression model with a Matérn-5/2 ARD kernel and Gaussian noise, over
/// standardised targets. Hyperparameters θ = (log ℓ per length-scale group, log s², log σ²).
/// Inputs sharing a length-scale group (the one-hot columns of one categorical hparam) share ℓ.
/// </summary>
internal sealed class GaussianProcess
{
    private const double MinNoise = 1e-6;

    // Priors (as BoTorch's defaults, in the unit cube): Gamma(3, 6) on each length scale,
    // Gamma(2, 0.15) on the signal variance, Gamma(1.1, 0.05) on the noise variance.
    private const double LengthAlpha = 3;
    private const double LengthBeta = 6;
    private const double SignalAlpha = 2;
    private const double SignalBeta = 0.15;
    private const double NoiseAlpha = 1.1;
    private const double NoiseBeta = 0.05;

    private readonly double[][] _x;
    private readonly double[,] _factor;
    private readonly double[] _alpha;
    private readonly double[] _lengths;
    private readonly double _signal;

    private GaussianProcess(double[][] x, double[,] factor, double[] alpha, double[] lengths, double signal)
    {
        _x = x;
        _factor = factor;
        _alpha = alpha;
        _lengths = lengths;
        _signal = signal;
    }

    /// <summary>Conditions the process on data; null when the kernel matrix cannot be factored even with jitter.</summary>
    public static GaussianProcess? Fit(double[][] x, double[] y, double[] theta, int[] groups)
    {
        (double[] lengths, double signal, double noise) = Unpack(theta, groups);
        double[,]? factor = FactorWithJitter(KernelMatrix(x, lengths, signal), noise);
        if (factor is null)
        {
            return null;
        }

        double[] alpha = Cholesky.SolveUpper(factor, Cholesky.SolveLower(factor, y));
        return new GaussianProcess(x, factor, alpha, lengths, signal);
    }

    /// <summary>Posterior mean and variance of the latent function at <paramref name="point"/>.</summary>
    public (double Mean, double Variance) Predict(double[] point)
    {
        int n = _x.Length;
        var k = new double[n];
        for (int i = 0; i < n; i++)
        {
            k[i] = Matern52Kernel.Value(point, _x[i], _lengths, _signal);
        }

        double mean = 0;
        for (int i = 0; i < n; i++)
        {
            mean += k[i] * _alpha[i];
        }

        double[] v = Cholesky.SolveLower(_factor, k);
        double variance = _signal;
        foreach (double value in v)
        {
            variance -= value * value;
        }

        return (mean, Math.Max(variance, 1e-12));
    }

    /// <summary>
    /// The negative log marginal likelihood plus negative log prior, and its gradient in θ
    /// (what the hyperparameter search minimises). +∞ when the matrix cannot be factored.
    /// </summary>
    public static (double Value, double[] Gradient) NegativeLogPosterior(double[][] x, double[] y, double[] theta, int[] groups)
    {
        int n = x.Length;
        int lengthParameters = theta.Length - 2;
        (double[] lengths, double signal, double noise) = Unpack(theta, groups);
        double[,] signalMatrix = KernelMatrix(x, lengths, signal);
        double[,]? factor = FactorWithJitter(signalMatrix, noise);
        var gradient = new double[theta.Length];
        if (factor is null)
        {
            return (double.PositiveInfinity, gradient);
        }

        double[] alpha = Cholesky.SolveUpper(factor, Cholesky.SolveLower(factor, y));
        double logDeterminant = 0;
        for (int i = 0; i < n; i++)
        {
            logDeterminant += 2 * Math.Log(factor[i, i]);
        }

        double fit = 0;
        for (int i = 0; i < n; i++)
        {
            fit += y[i] * alpha[i];
        }

        double value = (0.5 * fit) + (0.5 * logDeterminant) + (0.5 * n * Math.Log(2 * Math.PI));

        // ∂(−log L)/∂θ_j = −½ tr((ααᵀ − K⁻¹) ∂K/∂θ_j); W = ααᵀ − K⁻¹ is symmetric.
        double[,] inverse = Cholesky.Inverse(factor);
        var w = new double[n, n];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                w[i, j] = (alpha[i] * alpha[j]) - inverse[i, j];
            }
        }

        // Diagonal terms: the signal variance and the noise. Off-diagonal terms come in symmetric pairs.
        double sqrt5 = Math.Sqrt(5);
        for (int i = 0; i < n; i++)
        {
            gradient[lengthParameters] -= 0.5 * w[i, i] * signalMatrix[i, i];
            gradient[lengthParameters + 1] -= 0.5 * w[i, i] * noise;
            for (int j = 0; j < i; j++)
            {
                double wij = w[i, j]; // = w[j, i]
                gradient[lengthParameters] -= wij * signalMatrix[i, j];

                // ∂k/∂log ℓ_c = s² (5/3) (1 + √5 r) exp(−√5 r) (x_ic − x_jc)² / ℓ_c²
                double r2 = 0;
                double[] xi = x[i];
                double[] xj = x[j];
                for (int c = 0; c < lengths.Length; c++)
                {
                    double d = (xi[c] - xj[c]) / lengths[c];
                    r2 += d * d;
                }

                double r = Math.Sqrt(r2);
                double pairFactor = wij * signal * (5.0 / 3.0) * (1 + (sqrt5 * r)) * Math.Exp(-sqrt5 * r);
                for (int c = 0; c < lengths.Length; c++)
                {
                    double d = (xi[c] - xj[c]) / lengths[c];
                    gradient[groups[c]] -= pairFactor * d * d;
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

    private static double[,] KernelMatrix(double[][] x, double[] lengths, double signal)
    {
        int n = x.Length;
        var k = new double[n, n];
        for (int i = 0; i < n; i++)
        {
            k[i, i] = signal;
            for (int j = 0; j < i; j++)
            {
                k[i, j] = k[j, i] = Matern52Kernel.Value(x[i], x[j], lengths, signal);
            }
        }

        return k;
    }

    // K + (σ² + jitter) I, with jitter raised tenfold from 0 up to 1e-2 of the signal until it factors.
    private static double[,]? FactorWithJitter(double[,] signalMatrix, double noise)
    {
        int n = signalMatrix.GetLength(0);
        double scale = n > 0 ? signalMatrix[0, 0] : 1;
        double jitter = 0;
        for (int attempt = 0; attempt < 8; attempt++)
        {
            var a = (double[,])signalMatrix.Clone();
            for (int i = 0; i < n; i++)
            {
                a[i, i] += noise + jitter;
            }

            if (Cholesky.Factor(a) is { } factor)
            {
                return factor;
            }

            jitter = jitter == 0 ? 1e-9 * scale : jitter * 10;
        }

        return null;
    }
}
