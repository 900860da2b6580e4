namespace HParamsNet.TorchSharp.Models;

/// <summary>What the model predicts; decides the output layer, the loss and the metric.</summary>
public enum ModelTaskKind
{
    /// <summary>Two classes: one logit, binary cross-entropy, accuracy.</summary>
    BinaryClassification = 0,

    /// <summary>N classes: N logits, cross-entropy, accuracy.</summary>
    MultiClassClassification = 1,

    /// <summary>Real values: linear outputs, mean squared error, mean absolute error.</summary>
    Regression = 2,
}

/// <summary>The output layer and training objective of a model.</summary>
/// <param name="Kind">What the model predicts.</param>
/// <param name="Outputs">Output units: 1 for binary classification and single-target regression, the class count for multi-class.</param>
public sealed record ModelTask(ModelTaskKind Kind, int Outputs)
{
    /// <summary>Two classes (labels 0 and 1).</summary>
    public static ModelTask Binary { get; } = new(ModelTaskKind.BinaryClassification, 1);

    /// <summary>Single-target regression.</summary>
    public static ModelTask Regression { get; } = new(ModelTaskKind.Regression, 1);

    /// <summary>Whether the targets are class labels.</summary>
    public bool IsClassification => Kind != ModelTaskKind.Regression;

    /// <summary>The metric logged beside the loss, named as Keras names it.</summary>
    public string MetricName => IsClassification ? "accuracy" : "mae";

    /// <summary>Whether a higher metric is better.</summary>
    public bool HigherMetricIsBetter => IsClassification;

    /// <summary><paramref name="classes"/> classes (labels 0 to classes - 1).</summary>
    public static ModelTask MultiClass(int classes) => classes >= 2
        ? new(ModelTaskKind.MultiClassClassification, classes)
        : throw new ArgumentOutOfRangeException(nameof(classes), classes, "A multi-class task needs at least 2 classes.");
}
