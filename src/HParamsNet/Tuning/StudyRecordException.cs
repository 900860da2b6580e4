namespace HParamsNet.Tuning.Storage;

/// <summary>
/// Writing the study's record (its event files) failed, e.g. on a full disk. The study stops
/// rather than record the trial as failed: the trial did nothing wrong, and it runs again when
/// the study is resumed. Trials that finished before are kept as they were.
/// </summary>
public sealed class StudyRecordException : IOException
{
    /// <summary>Creates the exception for a failure while writing <paramref name="path"/>.</summary>
    /// <param name="path">The run directory being written.</param>
    /// <param name="innerException">The operating system's error.</param>
    public StudyRecordException(string path, Exception innerException)
        : base($"Writing the study's record in '{path}' failed: {innerException?.Message} The study stopped; trials that finished are kept. Free disk space (or fix permissions) and run the study again: it resumes where it stopped.", innerException)
    {
    }

    /// <summary>Creates the exception.</summary>
    public StudyRecordException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">The message.</param>
    public StudyRecordException(string message)
        : base(message)
    {
    }
}
