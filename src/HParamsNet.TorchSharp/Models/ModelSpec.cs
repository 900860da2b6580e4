using System.Globalization;

namespace HParamsNet.TorchSharp.Models;

/// <summary>
/// A small Keras-style description of a multilayer perceptron: hidden dense and dropout layers,
/// the task's output layer, and the optimizer. Immutable: each method returns a new spec, so a
/// model-building function can derive one spec per trial from the trial's hparams.
/// </summary>
/// <example>
/// <code>
/// var spec = ModelSpec.Sequential()
///     .Dense((int)(long)hparams["num_units"], "relu")
///     .Dropout((double)hparams["dropout"])
///     .Output(ModelTask.MultiClass(10))
///     .Compile((string)hparams["optimizer"]);
/// </code>
/// </example>
public sealed record ModelSpec
{
    private ModelSpec(IReadOnlyList<LayerSpec> layers, ModelTask? task, OptimizerSpec optimizer)
    {
        Layers = layers;
        Task = task;
        Optimizer = optimizer;
    }

    /// <summary>The hidden layers, in order.</summary>
    public IReadOnlyList<LayerSpec> Layers { get; }

    /// <summary>The output layer and objective; set by <see cref="Output"/>.</summary>
    public ModelTask? Task { get; }

    /// <summary>The optimizer; adam with learning rate 0.001 unless <see cref="Compile(string, double?)"/> says otherwise.</summary>
    public OptimizerSpec Optimizer { get; }

    /// <summary>An empty model, to add layers to.</summary>
    public static ModelSpec Sequential() => new([], null, new OptimizerSpec("adam"));

    /// <summary>Adds a dense layer.</summary>
    /// <param name="units">Output units; at least 1.</param>
    /// <param name="activation">The activation.</param>
    public ModelSpec Dense(int units, Activation activation = Activation.Relu)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(units);
        return With(new DenseLayer(units, activation));
    }

    /// <summary>Adds a dense layer with an activation named as Keras names it (relu, tanh, sigmoid, linear).</summary>
    /// <param name="units">Output units; at least 1.</param>
    /// <param name="activation">relu, tanh, sigmoid or linear (any case).</param>
    public ModelSpec Dense(int units, string activation) => Dense(units, ParseActivation(activation));

    /// <summary>Adds dropout.</summary>
    /// <param name="rate">The share of units dropped while training, in [0, 1).</param>
    public ModelSpec Dropout(double rate)
    {
        if (!(rate >= 0 && rate < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(rate), rate, "A dropout rate must be in [0, 1).");
        }

        return With(new DropoutLayer(rate));
    }

    /// <summary>Sets the task: output units, loss and metric.</summary>
    /// <param name="task">The task.</param>
    public ModelSpec Output(ModelTask task)
    {
        ArgumentNullException.ThrowIfNull(task);
        return new ModelSpec(Layers, task, Optimizer);
    }

    /// <summary>Sets the optimizer (Keras' <c>compile</c>).</summary>
    /// <param name="optimizer">adam, sgd, rmsprop or adamw.</param>
    /// <param name="learningRate">The learning rate; the optimizer's Keras default when <see langword="null"/>.</param>
    public ModelSpec Compile(string optimizer, double? learningRate = null) =>
        new(Layers, Task, new OptimizerSpec(optimizer, learningRate));

    /// <summary>Parses an activation name.</summary>
    /// <exception cref="ArgumentException">An unknown name; the message lists the known ones.</exception>
    public static Activation ParseActivation(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return name.ToLowerInvariant() switch
        {
            "relu" => Activation.Relu,
            "tanh" => Activation.Tanh,
            "sigmoid" => Activation.Sigmoid,
            "linear" => Activation.Linear,
            _ => throw new ArgumentException($"Activation '{name}' is not known; use relu, tanh, sigmoid or linear.", nameof(name)),
        };
    }

    /// <inheritdoc/>
    public bool Equals(ModelSpec? other) =>
        other is not null && Layers.SequenceEqual(other.Layers) && Equals(Task, other.Task) && Optimizer.Equals(other.Optimizer);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var hash = default(HashCode);
        foreach (LayerSpec layer in Layers)
        {
            hash.Add(layer);
        }

        hash.Add(Task);
        hash.Add(Optimizer);
        return hash.ToHashCode();
    }

    /// <inheritdoc/>
    public override string ToString() =>
        string.Join(" -> ", Layers.Select(l => l switch
        {
            DenseLayer d => string.Create(CultureInfo.InvariantCulture, $"Dense({d.Units}, {d.Activation})"),
            DropoutLayer d => string.Create(CultureInfo.InvariantCulture, $"Dropout({d.Rate})"),
            _ => l.ToString(),
        }).Append(Task is null ? "no output" : $"Output({Task.Kind}, {Task.Outputs})")) + $"; {Optimizer.Name}(lr={Optimizer.LearningRate.ToString(CultureInfo.InvariantCulture)})";

    private ModelSpec With(LayerSpec layer) => new([.. Layers, layer], Task, Optimizer);
}
