using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace HParamsNet.Events;

/// <summary>
/// CRC-32C (Castagnoli, reflected polynomial 0x82F63B78) and the LevelDB-style masking that
/// TFRecord framing applies to it.
/// </summary>
/// <remarks>
/// Uses the CPU's CRC32C instruction (SSE4.2 on x86-64, the CRC32 extension on Arm64) and falls
/// back to a table when neither is present. Not System.IO.Hashing's Crc32: that one
/// is the IEEE polynomial.
/// </remarks>
internal static class MaskedCrc32C
{
    private const uint MaskDelta = 0xA282EAD8;
    private const uint ReflectedPolynomial = 0x82F63B78;

    private static readonly uint[] Table = BuildTable();

    /// <summary>The plain CRC-32C of <paramref name="data"/> (initial and final inversion applied).</summary>
    public static uint Compute(ReadOnlySpan<byte> data) => ~Update(~0u, data);

    /// <summary>The masked CRC-32C of <paramref name="data"/>, as TFRecord headers and footers store it.</summary>
    public static uint ComputeMasked(ReadOnlySpan<byte> data) => Mask(Compute(data));

    /// <summary>
    /// The masked CRC-32C of <paramref name="value"/>'s eight little-endian bytes: a record's length
    /// header. One instruction where the CPU has one; the scalar hot path frames a record per event.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint ComputeMasked(ulong value)
    {
        if (Sse42.X64.IsSupported)
        {
            return Mask(~(uint)Sse42.X64.Crc32(~0ul, value));
        }

        Span<byte> bytes = stackalloc byte[sizeof(ulong)];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, value);
        return ComputeMasked(bytes);
    }

    /// <summary>Masks a CRC: rotate right by 15 bits, then add 0xA282EAD8.</summary>
    public static uint Mask(uint crc) => ((crc >> 15) | (crc << 17)) + MaskDelta;

    /// <summary>Reverses <see cref="Mask"/>.</summary>
    public static uint Unmask(uint masked)
    {
        uint rotated = masked - MaskDelta;
        return (rotated >> 17) | (rotated << 15);
    }

    private static uint Update(uint crc, ReadOnlySpan<byte> data)
    {
        if (Sse42.X64.IsSupported)
        {
            ulong wide = crc;
            while (data.Length >= sizeof(ulong))
            {
                wide = Sse42.X64.Crc32(wide, BinaryPrimitives.ReadUInt64LittleEndian(data));
                data = data[sizeof(ulong)..];
            }

            crc = (uint)wide;
            foreach (byte b in data)
            {
                crc = Sse42.Crc32(crc, b);
            }

            return crc;
        }

        if (Crc32.Arm64.IsSupported)
        {
            while (data.Length >= sizeof(ulong))
            {
                crc = Crc32.Arm64.ComputeCrc32C(crc, BinaryPrimitives.ReadUInt64LittleEndian(data));
                data = data[sizeof(ulong)..];
            }

            foreach (byte b in data)
            {
                crc = Crc32.ComputeCrc32C(crc, b);
            }

            return crc;
        }

        return UpdatePortable(crc, data);
    }

    /// <summary>Table-driven CRC-32C, one byte at a time; the fallback and the tests' reference.</summary>
    internal static uint ComputePortable(ReadOnlySpan<byte> data) => ~UpdatePortable(~0u, data);

    private static uint UpdatePortable(uint crc, ReadOnlySpan<byte> data)
    {
        uint[] table = Table;
        foreach (byte b in data)
        {
            crc = table[(crc ^ b) & 0xFF] ^ (crc >> 8);
        }

        return crc;
    }

    private static uint[] BuildTable()
    {
        var table = new uint[256];
        for (uint i = 0; i < table.Length; i++)
        {
            uint entry = i;
            for (int bit = 0; bit < 8; bit++)
            {
                entry = (entry & 1) != 0 ? (entry >> 1) ^ ReflectedPolynomial : entry >> 1;
            }

            table[i] = entry;
        }

        return table;
    }
}
