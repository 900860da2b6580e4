using TorchSharp;
using static TorchSharp.torch;

namespace HParamsNet.TorchSharp.Models;

/// <summary>An optimizer by name, as Keras' <c>compile(optimizer=...)</c> takes it, with its learning rate.</summary>
public sealed record OptimizerSpec
{
    /// <summary>The names understood, lower case.</summary>
    public static IReadOnlyList<string> Names { get; } = ["adam", "sgd", "rmsprop", "adamw"];

    /// <summary>Creates an optimizer spec.</summary>
    /// <param name="name">adam, sgd, rmsprop or adamw (any case).</param>
    /// <param name="learningRate">The learning rate; Keras' default for the optimizer when <see langword="null"/> (0.001, and 0.01 for sgd).</param>
    /// <exception cref="ArgumentException">An unknown name, or a learning rate that is not a positive finite number.</exception>
    public OptimizerSpec(string name, double? learningRate = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        string normalized = name.ToLowerInvariant();
        if (!Names.Contains(normalized))
        {
            throw new ArgumentException($"Optimizer '{name}' is not known; use one of {string.Join(", ", Names)}.", nameof(name));
        }

        double rate = learningRate ?? (normalized == "sgd" ? 0.01 : 0.001);
        if (!(rate > 0) || !double.IsFinite(rate))
        {
            throw new ArgumentException($"Optimizer '{name}': learning rate {rate} must be a positive number.", nameof(learningRate));
        }

        Name = normalized;
        LearningRate = rate;
    }

    /// <summary>The optimizer's name, lower case.</summary>
    public string Name { get; }

    /// <summary>The learning rate.</summary>
    public double LearningRate { get; }

    internal optim.Optimizer Create(IEnumerable<global::TorchSharp.Modules.Parameter> parameters) => Name switch
    {
        "adam" => optim.Adam(parameters, LearningRate),
        "sgd" => optim.SGD(parameters, LearningRate),
        "rmsprop" => optim.RMSProp(parameters, LearningRate),
        "adamw" => optim.AdamW(parameters, LearningRate),
        _ => throw new InvalidOperationException($"Optimizer '{Name}' has no factory."),
    };
}
