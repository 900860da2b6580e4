using HParamsNet.Events;
using HParamsNet.Summaries;

namespace HParamsNet.TorchSharp.Training;

/// <summary>
/// The trial's hparams record, as TensorBoard's <c>hp.KerasCallback</c> writes it: the session
/// start (hparams) in the trial's run directory when training begins, the session end (SUCCESS,
/// or FAILURE when training threw) when it ends.
/// </summary>
public sealed class HParamsCallback : IFitCallback, IDisposable
{
    private readonly string _logDir;
    private readonly IReadOnlyDictionary<HParam, object> _hparams;
    private readonly string? _trialId;
    private readonly EventFileWriterOptions? _options;
    private SummaryWriter? _writer;

    /// <summary>Creates the callback.</summary>
    /// <param name="logDir">The trial's run directory (a sub-directory of the log directory, never its root).</param>
    /// <param name="hparams">The trial's hparams; checked against their domains.</param>
    /// <param name="trialId">The session group; derived from the values when <see langword="null"/>.</param>
    /// <param name="options">Writer options, or <see langword="null"/> for the defaults.</param>
    public HParamsCallback(string logDir, IReadOnlyDictionary<HParam, object> hparams, string? trialId = null, EventFileWriterOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(logDir);
        ArgumentNullException.ThrowIfNull(hparams);
        foreach ((HParam hparam, object value) in hparams)
        {
            hparam.Validate(value); // fail before training, not after
        }

        _logDir = logDir;
        _hparams = hparams;
        _trialId = trialId;
        _options = options;
    }

    /// <inheritdoc/>
    public void OnTrainBegin()
    {
        _writer = SummaryWriter.Create(_logDir, _options);
        _writer.HParams(_hparams, _trialId);
    }

    /// <inheritdoc/>
    public void OnEpochEnd(EpochResult result)
    {
    }

    /// <inheritdoc/>
    public void OnTrainEnd(SessionStatus status)
    {
        _writer?.SessionEnd(status);
        Dispose();
    }

    /// <summary>Flushes and closes the run's file.</summary>
    public void Dispose()
    {
        _writer?.Dispose();
        _writer = null;
    }
}
