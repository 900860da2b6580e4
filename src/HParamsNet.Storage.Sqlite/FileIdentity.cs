using System.Runtime.InteropServices;

namespace HParamsNet.Storage;

/// <summary>
/// Which file a path names now (device and inode, from stat(2)): a study storage compares it with
/// the one it opened, so that a database removed or replaced under running workers stops them
/// instead of letting them write into a file nobody can find. .NET has no API for the inode;
/// where stat's layout is not known (not 64-bit Linux), there is no identity and no check.
/// </summary>
internal readonly partial record struct FileIdentity(ulong Device, ulong Inode)
{
    /// <summary>The identity of the file at <paramref name="path"/>; <see langword="null"/> when there is none (or it cannot be known here).</summary>
    public static FileIdentity? Of(string path)
    {
        if (!OperatingSystem.IsLinux() || RuntimeInformation.ProcessArchitecture is not (Architecture.X64 or Architecture.Arm64))
        {
            return null;
        }

        // struct stat on 64-bit Linux (x86-64 and arm64 alike) begins with st_dev and st_ino, 8 bytes each; it is at most 144 bytes.
        Span<byte> stat = stackalloc byte[256];
        try
        {
            return Stat(path, stat) == 0 ? new FileIdentity(BitConverter.ToUInt64(stat[..8]), BitConverter.ToUInt64(stat[8..16])) : null;
        }
        catch (EntryPointNotFoundException)
        {
            return null; // a C library older than glibc 2.33 exports stat under another name
        }
    }

    [LibraryImport("libc", EntryPoint = "stat", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Stat(string path, Span<byte> buffer);
}
