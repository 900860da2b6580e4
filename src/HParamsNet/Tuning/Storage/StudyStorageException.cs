namespace HParamsNet.Tuning.Storage;

/// <summary>
/// A study storage failed. One type per cause (below), each message naming the file or the
/// host, port and database, never a password, and saying what to do; an <see cref="IOException"/>,
/// so that code catching I/O failures catches it. The provider's own error is the inner exception.
/// </summary>
public class StudyStorageException : IOException
{
    /// <summary>Creates the exception.</summary>
    public StudyStorageException()
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What failed, where, and what to do.</param>
    public StudyStorageException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What failed, where, and what to do.</param>
    /// <param name="innerException">The provider's error.</param>
    public StudyStorageException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>The storage cannot be reached, or stopped answering: no server at the address, the server shut down, the file missing, the disk full. Retry once it is back.</summary>
public sealed class StudyStorageUnavailableException : StudyStorageException
{
    /// <summary>Creates the exception.</summary>
    public StudyStorageUnavailableException()
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What failed, where, and what to do.</param>
    public StudyStorageUnavailableException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What failed, where, and what to do.</param>
    /// <param name="innerException">The provider's error.</param>
    public StudyStorageUnavailableException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>The storage refuses: a login or password refused, a role without the privileges, a read-only file or a directory that cannot be written.</summary>
public sealed class StudyStorageAccessException : StudyStorageException
{
    /// <summary>Creates the exception.</summary>
    public StudyStorageAccessException()
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What failed, where, and what to do.</param>
    public StudyStorageAccessException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What failed, where, and what to do.</param>
    /// <param name="innerException">The provider's error.</param>
    public StudyStorageAccessException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>The storage's data is damaged: a corrupted database file, a record this library did not write.</summary>
public sealed class StudyStorageCorruptException : StudyStorageException
{
    /// <summary>Creates the exception.</summary>
    public StudyStorageCorruptException()
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What failed, where, and what to do.</param>
    public StudyStorageCorruptException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What failed, where, and what to do.</param>
    /// <param name="innerException">The provider's error.</param>
    public StudyStorageCorruptException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>The storage is not what this library reads: no study storage there (no tables, no such schema or database), or one written by a newer version.</summary>
public sealed class StudyStorageSchemaException : StudyStorageException
{
    /// <summary>Creates the exception.</summary>
    public StudyStorageSchemaException()
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What failed, where, and what to do.</param>
    public StudyStorageSchemaException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What failed, where, and what to do.</param>
    /// <param name="innerException">The provider's error.</param>
    public StudyStorageSchemaException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>The storage's file was removed or replaced by another file while the study used it: what workers wrote since is not in the file at that path. The study stops instead of going on in a file nobody can find.</summary>
public sealed class StudyStorageReplacedException : StudyStorageException
{
    /// <summary>Creates the exception.</summary>
    public StudyStorageReplacedException()
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What failed, where, and what to do.</param>
    public StudyStorageReplacedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What failed, where, and what to do.</param>
    /// <param name="innerException">The provider's error.</param>
    public StudyStorageReplacedException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
