using HParamsNet.Trials;
using HParamsNet.Tuning.Storage;

namespace HParamsNet.Tests.Support;

/// <summary>
/// A worker's view of a storage that can be cut off, as when its process is killed: after
/// <see cref="Sever"/> every call fails, so its trials get no more heartbeats, reports or tells,
/// and other workers (with their own view of the same storage) fail them as lost.
/// </summary>
public sealed class SeveredStorage(IStudyStorage inner) : IStudyStorage
{
    private volatile bool _severed;

    public void Sever() => _severed = true;

    public void Heal() => _severed = false;

    public ValueTask CreateOrLoadStudyAsync(StudyDefinition definition, CancellationToken cancellationToken = default) => Call(() => inner.CreateOrLoadStudyAsync(definition, cancellationToken));

    public ValueTask<IReadOnlyList<StudySummary>> GetStudiesAsync(CancellationToken cancellationToken = default) => Call(() => inner.GetStudiesAsync(cancellationToken));

    public ValueTask<int> CreateTrialAsync(string study, CancellationToken cancellationToken = default) => Call(() => inner.CreateTrialAsync(study, cancellationToken));

    public ValueTask<int?> CreateTrialAsync(string study, IReadOnlyDictionary<string, object> hparams, TrialLimits? limits = null, CancellationToken cancellationToken = default) => Call(() => inner.CreateTrialAsync(study, hparams, limits, cancellationToken));

    public ValueTask<bool> SetTrialHParamsAsync(string study, int number, IReadOnlyDictionary<string, object> hparams, CancellationToken cancellationToken = default) => Call(() => inner.SetTrialHParamsAsync(study, number, hparams, cancellationToken));

    public ValueTask ReportAsync(string study, int number, TrialReport report, CancellationToken cancellationToken = default) => Call(() => inner.ReportAsync(study, number, report, cancellationToken));

    public ValueTask HeartbeatAsync(string study, int number, CancellationToken cancellationToken = default) => Call(() => inner.HeartbeatAsync(study, number, cancellationToken));

    public ValueTask<bool> FinishTrialAsync(string study, int number, TrialOutcome outcome, CancellationToken cancellationToken = default) => Call(() => inner.FinishTrialAsync(study, number, outcome, cancellationToken));

    public ValueTask<IReadOnlyList<FrozenTrial>> FailStaleTrialsAsync(string study, TimeSpan grace, CancellationToken cancellationToken = default) => Call(() => inner.FailStaleTrialsAsync(study, grace, cancellationToken));

    public ValueTask<IReadOnlyList<FrozenTrial>> GetTrialsAsync(string study, CancellationToken cancellationToken = default) => Call(() => inner.GetTrialsAsync(study, cancellationToken));

    public ValueTask<TrialChanges> GetTrialChangesAsync(string study, long since, CancellationToken cancellationToken = default) => Call(() => inner.GetTrialChangesAsync(study, since, cancellationToken));

    public ValueTask SetStudyAttributeAsync(string study, string key, string value, CancellationToken cancellationToken = default) => Call(() => inner.SetStudyAttributeAsync(study, key, value, cancellationToken));

    public ValueTask<IReadOnlyDictionary<string, string>> GetStudyAttributesAsync(string study, CancellationToken cancellationToken = default) => Call(() => inner.GetStudyAttributesAsync(study, cancellationToken));

    public ValueTask<bool> EnqueueTrialAsync(string study, IReadOnlyDictionary<string, object> hparams, CancellationToken cancellationToken = default) => Call(() => inner.EnqueueTrialAsync(study, hparams, cancellationToken));

    public ValueTask<FrozenTrial?> CreateTrialFromQueueAsync(string study, TrialLimits? limits = null, CancellationToken cancellationToken = default) => Call(() => inner.CreateTrialFromQueueAsync(study, limits, cancellationToken));

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private ValueTask<T> Call<T>(Func<ValueTask<T>> call) => _severed ? ValueTask.FromException<T>(new IOException("The worker is gone (severed by the test).")) : call();

    private ValueTask Call(Func<ValueTask> call) => _severed ? ValueTask.FromException(new IOException("The worker is gone (severed by the test).")) : call();
}
