// Usage: HParamsNet.TestStudy LOGDIR STEP_MILLISECONDS [cv]
// A grid study of 12 configurations whose trials report 5 steps each, STEP_MILLISECONDS apart,
// and print "finished N" after each trial, so that a test can kill the process mid-trial.
using System.Globalization;
using HParamsNet;
using HParamsNet.TestStudy;

string logDir = args[0];
int stepMilliseconds = int.Parse(args[1], CultureInfo.InvariantCulture);
bool crossValidate = args.Length > 2 && args[2] == "cv";

var result = await new Tuner(TestStudy.Options(logDir, crossValidate)).RunAsync(async (trial, cancel) =>
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
