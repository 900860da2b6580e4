#region usings
using HParamsNet;
using HParamsNet.TorchSharp.Data;
using HParamsNet.TorchSharp.Models;
using HParamsNet.TorchSharp.Training;
using HParamsNet.Tuning;
using HParamsNet.Tuning.CrossValidation;
using HParamsNet.Tuning.Strategies;
#endregion

namespace HParamsNet.DocSamples;

/// <summary>The cross-validation guide: GridSearchCV's scenario.</summary>
public static class CrossValidationSample
{
    public static async Task<StudyResult> RunAsync(string logDir = "logs/grid_search_cv")
    {
        #region cv
        TabularDataset data = Datasets.LoadBreastCancer();
        var optimizer = new HParam("optimizer", new Discrete("adam", "sgd"));
        var dropout = new HParam("dropout", new Discrete(0.0, 0.2));

        var options = new TunerOptions
        {
            LogDir = logDir,
            Space = [optimizer, dropout],
            Objective = new Objective(new Metric("accuracy"), StudyDirection.Maximize),
            Strategy = new GridSearch(),
            // Every configuration is scored on 3 stratified folds; each fold is a TensorBoard session
            // of one session group, so the HParams dashboard shows the mean.
            CrossValidation = new CrossValidationOptions(new StratifiedKFold(3, shuffle: true, seed: 0), data.Count, data.Labels),
        };

        StudyResult result = await new Tuner(options).RunAsync(trial =>
        {
            CrossValidationFold fold = trial.Fold!;
            TabularDataset train = data.Select(fold.TrainIndices), test = data.Select(fold.TestIndices);
            var scaler = Standardizer.Fit(train);          // the fold's own statistics: nothing leaks from its test rows
            ModelSpec spec = ModelSpec.Sequential()
                .Dense(16, Activation.Relu)
                .Dropout(trial.Get<double>(dropout))
                .Output(ModelTask.Binary)
                .Compile(trial.Get<string>(optimizer));
            using TorchModel model = TorchModel.Build(spec, data.Columns, seed: 0);
            model.Fit(scaler.Transform(train), new FitOptions { Epochs = 10, Seed = 0, Callbacks = [new TensorBoardCallback(trial.RunDirectory)] });
            return model.Evaluate(scaler.Transform(test)).Metric;
        });

        // As GridSearchCV prints it: the best, then mean (std) per configuration.
        Console.WriteLine($"Best: {result.BestScore:F6} using {string.Join(", ", result.BestParams)}");
        foreach (ConfigurationResult row in result.Configurations)
        {
            Console.WriteLine($"{row.MeanScore:F6} ({row.StdScore:F6}) with: {string.Join(", ", row.Trial.HParams)}");
        }
        #endregion

        return result;
    }
}
