namespace HParamsNet.MLNet;

/// <summary>What an ML.NET pipeline learns, which decides its trainers and its metrics.</summary>
public enum MLTask
{
    /// <summary>Two classes (labels 0 and 1): log-loss, AUC, accuracy, F1.</summary>
    BinaryClassification,

    /// <summary>Several classes (labels 0..k-1): log-loss, micro and macro accuracy.</summary>
    MulticlassClassification,

    /// <summary>A number: RMSE, MAE, R².</summary>
    Regression,
}
