namespace HParamsNet.TorchSharp.Training;

/// <summary>How <see cref="Models.TorchModel.Fit"/> trains (Keras' <c>fit</c> arguments).</summary>
public sealed record FitOptions
{
    /// <summary>Passes over the training data.</summary>
    /// <value>Default: 10.</value>
    public int Epochs { get; init; } = 10;

    /// <summary>Samples per gradient step.</summary>
    /// <value>Default: 32 (Keras' default).</value>
    public int BatchSize { get; init; } = 32;

    /// <summary>Whether to shuffle the training data before each epoch.</summary>
    /// <value>Default: <see langword="true"/>.</value>
    public bool Shuffle { get; init; } = true;

    /// <summary>Seeds torch's generator (weights, dropout) and the shuffling: same seed, same result.</summary>
    /// <value>Default: 0.</value>
    public int Seed { get; init; }

    /// <summary>
    /// The share of the training data held out for validation, taken from the end before shuffling
    /// as Keras does; ignored when a validation set is passed to <c>Fit</c>.
    /// </summary>
    /// <value>Default: 0 (no validation).</value>
    public double ValidationSplit { get; init; }

    /// <summary>Threads torch may use (process-wide); <see langword="null"/> leaves torch's setting.</summary>
    /// <value>Default: <see langword="null"/>.</value>
    public int? Threads { get; init; }

    /// <summary>Callbacks, called in order: <see cref="TensorBoardCallback"/>, <see cref="HParamsCallback"/>, your own.</summary>
    public IReadOnlyList<IFitCallback> Callbacks { get; init; } = [];

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(Epochs, nameof(Epochs));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(BatchSize, nameof(BatchSize));
        if (!(ValidationSplit >= 0 && ValidationSplit < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(ValidationSplit), ValidationSplit, "ValidationSplit must be in [0, 1).");
        }

        if (Threads is <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(Threads), Threads, "Threads must be positive.");
        }

        ArgumentNullException.ThrowIfNull(Callbacks, nameof(Callbacks));
    }
}
