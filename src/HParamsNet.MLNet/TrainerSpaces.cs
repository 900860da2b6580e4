using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Trainers;
using Microsoft.ML.Trainers.FastTree;
using Microsoft.ML.Trainers.LightGbm;

namespace HParamsNet.MLNet;

/// <summary>
/// The trainer as an hparam and each trainer's own hparams as conditional ones, for LightGBM,
/// FastTree, FastForest and SDCA (logistic regression, maximum entropy or regression by task).
/// Ranges follow published practice, narrowed to what a small table needs: ML.NET AutoML's search
/// spaces (trees and leaves from 4, minimum examples per leaf 2 to 128, learning rate on a log scale
/// from 2^-10 to 1) and FLAML's (LightGBM's feature fraction, L2 regularisation from 2^-10 to 2^10;
/// for linear models the inverse regularisation C from 2^-5 to 2^15, so SDCA's L1 and L2 from
/// 2^-15 to 2^5), with tree counts capped at 512 and leaves at 256 so a trial takes seconds on a
/// small table. Counts, rates and regularisation are searched on log scales.
/// </summary>
public static class TrainerSpaces
{
    /// <summary>The trainer hparam's name.</summary>
    public const string Trainer = "trainer";

    /// <summary>The value of a trainer's options hparam (<c>lightgbm_options</c>, ...) that keeps ML.NET's defaults.</summary>
    public const string DefaultOptions = "default";

    /// <summary>The value of a trainer's options hparam whose own hparams are then searched.</summary>
    public const string TunedOptions = "tuned";

    /// <summary>The trainers, as the trainer hparam names them.</summary>
    public static IReadOnlyList<string> Trainers { get; } = ["fastforest", "fasttree", "lightgbm", "sdca"];

    /// <summary>The conditional search space over <paramref name="trainers"/> (all four when <see langword="null"/>): the trainer first, then each one's hparams.</summary>
    /// <param name="trainers">A subset of <see cref="Trainers"/>.</param>
    /// <exception cref="ArgumentException">An unknown trainer name; the message lists the known ones.</exception>
    public static IReadOnlyList<HParam> Space(IEnumerable<string>? trainers = null)
    {
        string[] chosen = [.. (trainers ?? Trainers).Distinct()];
        if (chosen.FirstOrDefault(t => !Trainers.Contains(t)) is { } unknown)
        {
            throw new ArgumentException($"Trainer '{unknown}' is not one of {string.Join(", ", Trainers)}.", nameof(trainers));
        }

        // Each trainer's ML.NET defaults are a point of the space ("<trainer>_options" = "default"),
        // as FLAML starts from them: a study can always find them, and models learn how far tuning
        // departs from them. Its other hparams exist only when the options are "tuned".
        var space = new List<HParam> { new(Trainer, new Discrete(chosen), "Trainer") };
        foreach (string trainer in chosen.Order(StringComparer.Ordinal))
        {
            string options = OptionsName(trainer);
            space.Add(new HParam(options, new Discrete(DefaultOptions, TunedOptions), $"{trainer} options").When(Trainer, trainer));
            space.AddRange(HParamsOf(trainer).Select(h => h.When(options, TunedOptions)));
        }

        return space;
    }

    /// <summary>The pipeline a configuration describes: features normalised for SDCA (trees need no scaling), then the trainer with these hparams.</summary>
    /// <param name="ml">The ML.NET context (its seed makes fits repeatable).</param>
    /// <param name="task">What is learnt.</param>
    /// <param name="hparams">Values by hparam name, as a trial or a study's best params give them.</param>
    /// <exception cref="ArgumentException">No trainer, or an unknown one.</exception>
    public static IEstimator<ITransformer> Build(MLContext ml, MLTask task, IReadOnlyDictionary<string, object> hparams)
    {
        ArgumentNullException.ThrowIfNull(ml);
        ArgumentNullException.ThrowIfNull(hparams);
        string trainer = hparams.TryGetValue(Trainer, out object? name) ? (string)name : throw new ArgumentException($"The configuration has no '{Trainer}'.", nameof(hparams));
        var values = new Values(hparams);
        return trainer switch
        {
            "lightgbm" => LightGbm(ml, task, values),
            "fasttree" => FastTree(ml, task, values),
            "fastforest" => FastForest(ml, task, values),
            "sdca" => Sdca(ml, task, values),
            _ => throw new ArgumentException($"Trainer '{trainer}' is not one of {string.Join(", ", Trainers)}.", nameof(hparams)),
        };
    }

    /// <summary>The trainer with ML.NET's default options: the baseline a tuned pipeline is measured against.</summary>
    /// <param name="ml">The ML.NET context.</param>
    /// <param name="task">What is learnt.</param>
    /// <param name="trainer">One of <see cref="Trainers"/>.</param>
    public static IEstimator<ITransformer> Default(MLContext ml, MLTask task, string trainer) =>
        Build(ml, task, new Dictionary<string, object> { [Trainer] = trainer });

    /// <summary>The name of the hparam that chooses between a trainer's defaults and its tuned hparams.</summary>
    /// <param name="trainer">One of <see cref="Trainers"/>.</param>
    public static string OptionsName(string trainer) => $"{trainer}_options";

    private static IEnumerable<HParam> HParamsOf(string trainer) => trainer switch
    {
        "lightgbm" =>
        [
            new("lgbm_iterations", new IntInterval(4, 512) { Log = true }, "LightGBM iterations"),
            new("lgbm_leaves", new IntInterval(4, 256) { Log = true }, "LightGBM leaves"),
            new("lgbm_min_leaf", new IntInterval(2, 128) { Log = true }, "LightGBM min examples per leaf"),
            new("lgbm_learning_rate", new RealInterval(1.0 / 1024, 1) { Log = true }, "LightGBM learning rate"),
            new("lgbm_feature_fraction", new RealInterval(0.1, 1), "LightGBM feature fraction"),
            new("lgbm_l2", new RealInterval(1.0 / 1024, 1024) { Log = true }, "LightGBM L2"),
        ],
        "fasttree" =>
        [
            new("fasttree_trees", new IntInterval(4, 512) { Log = true }, "FastTree trees"),
            new("fasttree_leaves", new IntInterval(4, 256) { Log = true }, "FastTree leaves"),
            new("fasttree_min_leaf", new IntInterval(2, 128) { Log = true }, "FastTree min examples per leaf"),
            new("fasttree_learning_rate", new RealInterval(1.0 / 1024, 1) { Log = true }, "FastTree learning rate"),
            new("fasttree_feature_fraction", new RealInterval(0.1, 1), "FastTree feature fraction"),
        ],
        "fastforest" =>
        [
            new("fastforest_trees", new IntInterval(4, 512) { Log = true }, "FastForest trees"),
            new("fastforest_leaves", new IntInterval(4, 256) { Log = true }, "FastForest leaves"),
            new("fastforest_feature_fraction", new RealInterval(0.1, 1), "FastForest feature fraction"),
        ],
        _ =>
        [
            new("sdca_l1", new RealInterval(1.0 / 32768, 32) { Log = true }, "SDCA L1"),
            new("sdca_l2", new RealInterval(1.0 / 32768, 32) { Log = true }, "SDCA L2"),
        ],
    };

    private static IEstimator<ITransformer> LightGbm(MLContext ml, MLTask task, Values v)
    {
        var booster = new GradientBooster.Options
        {
            L2Regularization = v.Double("lgbm_l2", 0.01),
            FeatureFraction = v.Double("lgbm_feature_fraction", 1),
        };
        int iterations = v.Int("lgbm_iterations", 100);
        int? leaves = v.IntOrNull("lgbm_leaves");
        int? minLeaf = v.IntOrNull("lgbm_min_leaf");
        double? rate = v.DoubleOrNull("lgbm_learning_rate");
        bool tuned = v.Has("lgbm_iterations");
        return task switch
        {
            MLTask.BinaryClassification => ml.BinaryClassification.Trainers.LightGbm(tuned
                ? new LightGbmBinaryTrainer.Options { NumberOfIterations = iterations, NumberOfLeaves = leaves, MinimumExampleCountPerLeaf = minLeaf, LearningRate = rate, Booster = booster, Seed = 1 }
                : new LightGbmBinaryTrainer.Options { Seed = 1 }),
            MLTask.MulticlassClassification => Keys(ml).Append(ml.MulticlassClassification.Trainers.LightGbm(tuned
                ? new LightGbmMulticlassTrainer.Options { NumberOfIterations = iterations, NumberOfLeaves = leaves, MinimumExampleCountPerLeaf = minLeaf, LearningRate = rate, Booster = booster, Seed = 1 }
                : new LightGbmMulticlassTrainer.Options { Seed = 1 })),
            _ => ml.Regression.Trainers.LightGbm(tuned
                ? new LightGbmRegressionTrainer.Options { NumberOfIterations = iterations, NumberOfLeaves = leaves, MinimumExampleCountPerLeaf = minLeaf, LearningRate = rate, Booster = booster, Seed = 1 }
                : new LightGbmRegressionTrainer.Options { Seed = 1 }),
        };
    }

    private static IEstimator<ITransformer> FastTree(MLContext ml, MLTask task, Values v)
    {
        T Tune<T>(T options)
            where T : BoostedTreeOptions
        {
            options.NumberOfTrees = v.Int("fasttree_trees", options.NumberOfTrees);
            options.NumberOfLeaves = v.Int("fasttree_leaves", options.NumberOfLeaves);
            options.MinimumExampleCountPerLeaf = v.Int("fasttree_min_leaf", options.MinimumExampleCountPerLeaf);
            options.LearningRate = v.Double("fasttree_learning_rate", options.LearningRate);
            options.FeatureFraction = v.Double("fasttree_feature_fraction", options.FeatureFraction);
            options.Seed = 1;
            return options;
        }

        return task switch
        {
            MLTask.BinaryClassification => ml.BinaryClassification.Trainers.FastTree(Tune(new FastTreeBinaryTrainer.Options())),
            MLTask.MulticlassClassification => Keys(ml).Append(ml.MulticlassClassification.Trainers.OneVersusAll(ml.BinaryClassification.Trainers.FastTree(Tune(new FastTreeBinaryTrainer.Options())))),
            _ => ml.Regression.Trainers.FastTree(Tune(new FastTreeRegressionTrainer.Options())),
        };
    }

    private static IEstimator<ITransformer> FastForest(MLContext ml, MLTask task, Values v)
    {
        T Tune<T>(T options)
            where T : FastForestOptionsBase
        {
            options.NumberOfTrees = v.Int("fastforest_trees", options.NumberOfTrees);
            options.NumberOfLeaves = v.Int("fastforest_leaves", options.NumberOfLeaves);
            options.FeatureFraction = v.Double("fastforest_feature_fraction", options.FeatureFraction);
            options.Seed = 1;
            return options;
        }

        // A forest's binary scores are not probabilities: Platt scaling makes them so (for log-loss).
        return task switch
        {
            MLTask.BinaryClassification => ml.BinaryClassification.Trainers.FastForest(Tune(new FastForestBinaryTrainer.Options()))
                .Append(ml.BinaryClassification.Calibrators.Platt()),
            MLTask.MulticlassClassification => Keys(ml).Append(ml.MulticlassClassification.Trainers.OneVersusAll(ml.BinaryClassification.Trainers.FastForest(Tune(new FastForestBinaryTrainer.Options())))),
            _ => ml.Regression.Trainers.FastForest(Tune(new FastForestRegressionTrainer.Options())),
        };
    }

    // Linear models need comparable feature scales; trees do not.
    private static IEstimator<ITransformer> Sdca(MLContext ml, MLTask task, Values v)
    {
        float? l1 = v.Has("sdca_l1") ? (float)v.Double("sdca_l1", 0) : null;
        float? l2 = v.Has("sdca_l2") ? (float)v.Double("sdca_l2", 0) : null;
        var scale = ml.Transforms.NormalizeMinMax("Features");
        return task switch
        {
            MLTask.BinaryClassification => scale.Append(ml.BinaryClassification.Trainers.SdcaLogisticRegression(new SdcaLogisticRegressionBinaryTrainer.Options { L1Regularization = l1, L2Regularization = l2 })),
            MLTask.MulticlassClassification => scale.Append(Keys(ml)).Append(ml.MulticlassClassification.Trainers.SdcaMaximumEntropy(new SdcaMaximumEntropyMulticlassTrainer.Options { L1Regularization = l1, L2Regularization = l2 })),
            _ => scale.Append(ml.Regression.Trainers.Sdca(new SdcaRegressionTrainer.Options { L1Regularization = l1, L2Regularization = l2 })),
        };
    }

    private static Microsoft.ML.Transforms.ValueToKeyMappingEstimator Keys(MLContext ml) => ml.Transforms.Conversion.MapValueToKey("Label");

    // Reads a configuration's numbers whatever their boxed type (long or double after normalisation).
    private sealed class Values(IReadOnlyDictionary<string, object> hparams)
    {
        public bool Has(string name) => hparams.ContainsKey(name);

        public int Int(string name, int fallback) => IntOrNull(name) ?? fallback;

        public int? IntOrNull(string name) => hparams.TryGetValue(name, out object? v) ? Convert.ToInt32(v, CultureInfo.InvariantCulture) : null;

        public double Double(string name, double fallback) => DoubleOrNull(name) ?? fallback;

        public double? DoubleOrNull(string name) => hparams.TryGetValue(name, out object? v) ? Convert.ToDouble(v, CultureInfo.InvariantCulture) : null;
    }
}
