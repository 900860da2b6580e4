using System.Text.Json;
using HParamsNet.Events;
using HParamsNet.Sessions;
using HParamsNet.Summaries;
using HParamsNet.Tests.Common;

namespace HParamsNet.TorchSharp.Tests.Training;

/// <summary>
/// examples/KerasStyleFit run as a user runs it: every dashboard gets its tags, in the runs where
/// TensorBoard's own backend listed them for the example's log directory (Assets/keras-style-fit-dashboards.json,
/// from eng/goldens/list_dashboard_tags.py on 2026-12-03).
/// </summary>
[Category(TestCategories.Integration)]
public class KerasStyleFitDashboardsTests
{
    [Test]
    public async Task The_example_writes_every_dashboard_in_the_runs_tensorboard_listed()
    {
        using var dir = new TempDirectory();
        await ExampleRunner.RunAsync("KerasStyleFit", dir.Path);
        using JsonDocument expected = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(TestContext.CurrentContext.TestDirectory, "Assets", "keras-style-fit-dashboards.json")));

        var runs = LogDirectory.FindRuns(dir.Path).ToDictionary(r => r.Name == "." ? "." : r.Name.Replace('\\', '/'), r => r.Path);
        var read = runs.ToDictionary(r => r.Key, r => DashboardReader.Read(r.Value));
        Dictionary<string, List<string>> Listed(Func<RunDashboards, IEnumerable<string>> tags) =>
            read.Where(r => tags(r.Value).Any()).ToDictionary(r => r.Key, r => tags(r.Value).Order(StringComparer.Ordinal).ToList());
        Dictionary<string, List<string>> Expected(string plugin) =>
            expected.RootElement.GetProperty(plugin).EnumerateObject().ToDictionary(p => p.Name, p => p.Value.EnumerateArray().Select(t => t.GetString()!).ToList());

        Assert.That(Listed(d => d.Histograms.Keys), Is.EqualTo(Expected("histograms")));
        Assert.That(Listed(d => d.Histograms.Keys), Is.EqualTo(Expected("distributions")), "distributions come from the histograms");
        Assert.That(Listed(d => d.Images.Keys), Is.EqualTo(Expected("images")));
        Assert.That(Listed(d => d.Audio.Keys), Is.EqualTo(Expected("audio")));
        Assert.That(Listed(d => d.Texts.Keys), Is.EqualTo(Expected("text")));
        Assert.That(Listed(d => d.PrCurves.Keys), Is.EqualTo(Expected("pr_curves")));
        var scalars = runs.ToDictionary(r => r.Key, r => EventFileReader.ReadRunScalars(r.Value).Select(s => s.Tag).Distinct().Order(StringComparer.Ordinal).ToList()).Where(r => r.Value.Count > 0).ToDictionary(r => r.Key, r => r.Value);
        Assert.That(scalars, Is.EqualTo(Expected("scalars")));
        Assert.That(expected.RootElement.GetProperty("custom_scalars").EnumerateArray().Select(c => c.GetString()), Is.EqualTo(new[] { "Training" }));
        Assert.That(read["overview"].Texts.Keys, Does.Contain("notes"));
        string config = await File.ReadAllTextAsync(Path.Combine(runs["overview"], "projector_config.pbtxt"));
        Assert.That(expected.RootElement.GetProperty("projector").GetProperty("overview").EnumerateArray().Select(e => e.GetString()).Single(), Is.EqualTo("test_rows:00000"));
        Assert.That(config, Does.Contain("tensor_name: \"test_rows:00000\""));
        Assert.That(EventFileReader.ReadRunEvents(runs["overview"]).Any(e => e.Summary?.Value.Any(v => v.Tag == CustomScalarLayout.Tag) == true), Is.True, "the layout TensorBoard merged");
    }
}
