using HParamsNet.Tuning.Storage;

namespace HParamsNet.Tuning;

/// <summary>
/// A trial this worker runs, across its sessions (its folds): the configuration, the folds it
/// finished, the session running now, and what it reported that the storage has not yet got.
/// Reports are sent in batches (at most every <see cref="StudyOptions.ReportInterval"/>, and
/// always before the trial is told), one batch at a time and in order.
/// </summary>
#pragma warning disable CA1001 // SemaphoreSlim holds no OS handle unless AvailableWaitHandle is read, which nothing here does
internal sealed class LiveTrial(int number, IReadOnlyDictionary<HParam, object> hparams, int? folds, DateTimeOffset started, long now)
{
    private readonly Lock _lock = new();
    private readonly List<IntermediateValue> _reported = [];
    private readonly Dictionary<string, string> _attributesSet = new(StringComparer.Ordinal);
    private long _lastSignal = now;
    private readonly SemaphoreSlim _sending = new(1, 1);
    private readonly List<double> _foldValues = [];
    private List<IntermediateValue> _values = [];
    private Dictionary<string, string> _attributes = new(StringComparer.Ordinal);
    private bool _foldsChanged;

    public int Number { get; } = number;

    public IReadOnlyDictionary<HParam, object> HParams { get; } = hparams;

    /// <summary>The configuration by name, normalised, as the storage records it.</summary>
    public IReadOnlyDictionary<string, object> Configuration { get; } = hparams.ToDictionary(p => p.Key.Name, p => p.Key.Validate(p.Value), StringComparer.Ordinal);

    /// <summary>Folds per trial; <see langword="null"/> without cross-validation.</summary>
    public int? Folds { get; } = folds;

    /// <summary>When the trial was created.</summary>
    public DateTimeOffset Started { get; } = started;

    /// <summary>When the storage last heard of the trial (a heartbeat or a report), as a timestamp of the study's clock.</summary>
    public long LastSignal => Interlocked.Read(ref _lastSignal);

    /// <summary>Every value reported, every fold's: what this worker's copy of the study shows once the trial is told.</summary>
    public IReadOnlyList<IntermediateValue> Reported
    {
        get
        {
            lock (_lock)
            {
                return [.. _reported];
            }
        }
    }

    /// <summary>Every user attribute set.</summary>
    public IReadOnlyDictionary<string, string> Attributes
    {
        get
        {
            lock (_lock)
            {
                return new Dictionary<string, string>(_attributesSet, StringComparer.Ordinal);
            }
        }
    }

    /// <summary>Notes that the storage heard of the trial now.</summary>
    public void Signalled(long timestamp) => Interlocked.Exchange(ref _lastSignal, timestamp);

    /// <summary>The session running now (a fold, or the trial), and its trial object.</summary>
    public (Trial Trial, TrialSession Session)? Current { get; set; }

    /// <summary>Whether its next fold may start (the previous one was told, and none runs).</summary>
    public bool NextFoldReady { get; set; }

    /// <summary>The fold to run next: the first not finished (0 without cross-validation).</summary>
    public int NextFold
    {
        get
        {
            lock (_lock)
            {
                return _foldValues.Count;
            }
        }
    }

    /// <summary>The values of the folds finished so far, in fold order.</summary>
    public IReadOnlyList<double> FoldValues
    {
        get
        {
            lock (_lock)
            {
                return [.. _foldValues];
            }
        }
    }

    /// <summary>Whether every fold is finished.</summary>
    public bool AllFoldsDone => Folds is int k && NextFold >= k;

    public void Report(IntermediateValue value)
    {
        lock (_lock)
        {
            _values.Add(value);
            _reported.Add(value);
        }
    }

    public void SetAttribute(string key, string value)
    {
        lock (_lock)
        {
            _attributes[key] = value;
            _attributesSet[key] = value;
        }
    }

    /// <summary>Records a finished fold's value (to be sent with the next batch).</summary>
    public void FoldFinished(double value)
    {
        lock (_lock)
        {
            _foldValues.Add(value);
            _foldsChanged = true;
        }
    }

    /// <summary>Sends what the storage has not got yet, in one write; on failure it stays to be sent again, before anything reported later.</summary>
    /// <exception cref="InvalidOperationException">The storage says the trial is finished (another worker failed it as lost).</exception>
    public async Task SendAsync(IStudyStorage storage, string study, long now, CancellationToken cancellationToken)
    {
        await _sending.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            TrialReport report;
            lock (_lock)
            {
                report = new TrialReport
                {
                    Values = _values,
                    FoldValues = _foldsChanged ? [.. _foldValues] : null,
                    UserAttributes = _attributes,
                };
                if (report.IsEmpty)
                {
                    return;
                }

                _values = [];
                _attributes = new Dictionary<string, string>(StringComparer.Ordinal);
                _foldsChanged = false;
            }

            try
            {
                await storage.ReportAsync(study, Number, report, cancellationToken).ConfigureAwait(false);
                Signalled(now); // a report is a heartbeat too
            }
            catch
            {
                lock (_lock)
                {
                    _values.InsertRange(0, report.Values);
                    foreach ((string key, string value) in report.UserAttributes)
                    {
                        _attributes.TryAdd(key, value);
                    }

                    _foldsChanged |= report.FoldValues is not null;
                }

                throw;
            }
        }
        finally
        {
            _sending.Release();
        }
    }
}
#pragma warning restore CA1001
