// Usage: HParamsNet.TestStudy LOGDIR STEP_MILLISECONDS [cv|plain] [grid|auto] [PARALLELISM]
// A study of 12 trials (a grid of 12 configurations, or the default strategy with MaxTrials 12)
// whose trials report 5 steps each, STEP_MILLISECONDS apart. It prints "start" just before the
// study opens its log directory and "finished N" after each trial, so that a test can kill the
// process at a chosen moment: while the study is being created, or mid-trial.
using System.Globalization;
using HParamsNet;
using HParamsNet.TestStudy;

string logDir = args[0];
int stepMilliseconds = int.Parse(args[1], CultureInfo.InvariantCulture);
bool crossValidate = args.Length > 2 && args[2] == "cv";
bool grid = args.Length <= 3 || args[3] == "grid";
int parallelism = args.Length > 4 ? int.Parse(args[4], CultureInfo.InvariantCulture) : 1;

TunerOptions options = TestStudy.Options(logDir, crossValidate) with
{
    Strategy = grid ? new GridSearch() : new AutoSearch(),
    MaxTrials = grid ? null : TestStudy.Trials,
    Parallelism = parallelism,
};
Console.WriteLine("start");
var result = await new Tuner(options).RunAsync(async (trial, cancel) =>
{
    double value = TestStudy.Score(trial);
    for (int step = 1; step <= 5; step++)
    {
        await Task.Delay(stepMilliseconds, cancel);
        trial.Report(value * step / 5, step);
    }

    return value;
});
Console.WriteLine($"done {result.Trials.Count}");
