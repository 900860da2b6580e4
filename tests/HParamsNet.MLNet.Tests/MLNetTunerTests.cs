using HParamsNet.Sessions;
using HParamsNet.Tests.Common;
using HParamsNet.Trials;
using Microsoft.ML;

namespace HParamsNet.MLNet.Tests;

[Category(TestCategories.Integration)]
public class MLNetTunerTests
{
    [TestCase(MLTask.BinaryClassification)]
    [TestCase(MLTask.MulticlassClassification)]
    [TestCase(MLTask.Regression)]
    public async Task A_short_study_tunes_cross_validates_logs_every_metric_and_refits(MLTask task)
    {
        using var dir = new TempDirectory();
        TabularData data = Data.For(task, rows: 150);

        MLNetTuningResult result = await MLNetTuner.TuneAsync(data, new MLNetTunerOptions { LogDir = dir.Path, MaxTrials = 6, Folds = 2, Seed = 4 });

        Assert.That(result.Study.Trials.Select(t => t.State), Has.All.EqualTo(TrialState.Complete), string.Join("; ", result.Study.Trials.Select(t => t.Error)));
        Assert.That(result.Fits, Is.EqualTo((6 * 2) + 1 + result.Ensemble!.Members.Count(m => m.Trial != result.Study.BestTrial!.Number)));
        var ml = new MLContext(0);
        Assert.That(TaskMetrics.Evaluate(ml, task, result.Model, data.ToDataView(ml))[TaskMetrics.For(task)[0].Tag], Is.Not.NaN, "the refitted model scores");

        IReadOnlyList<SessionRecord> sessions = HParamsLogReader.ReadSessions(dir.Path);
        HParamsExperiment experiment = HParamsLogReader.ReadExperiment(dir.Path)!;
        Assert.That(experiment.HParams.Select(h => h.Name), Is.EqualTo(TrainerSpaces.Space().Select(h => h.Name)), "every hparam declared");
        Assert.That(experiment.Metrics.Select(m => m.Tag), Is.EqualTo(TaskMetrics.For(task).Select(m => m.Tag)));
        Assert.That(sessions, Has.Count.EqualTo(12), "two folds per trial");
        Assert.That(sessions.GroupBy(s => s.GroupName).Select(g => g.Count()), Has.All.EqualTo(2), "a trial's folds are one session group");
        foreach (SessionRecord session in sessions)
        {
            string trainer = (string)session.HParams["trainer"];
            Assert.That(session.HParams.Keys.Where(k => k != "trainer"), Has.All.Matches<string>(k => k.StartsWith(trainer[..2], StringComparison.Ordinal) || k.StartsWith(TrainerSpaces.OptionsName(trainer), StringComparison.Ordinal) || (trainer == "lightgbm" && k.StartsWith("lgbm_", StringComparison.Ordinal))),
                "only its trainer's hparams");
            Assert.That(TaskMetrics.For(task).Select(m => session.Last(m.Group, m.Tag)), Has.All.Not.Null, "every metric logged");
        }
    }
}
