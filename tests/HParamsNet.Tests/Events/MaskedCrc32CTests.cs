using System.Text;
using FsCheck;
using FsCheck.Fluent;
using HParamsNet;
using HParamsNet.Events;

namespace HParamsNet.Tests.Events;

public class MaskedCrc32CTests
{
    // Spec §1.3 (equal to TensorBoard's own masked_crc32c and RustBoard's unit tests).
    [TestCase("", 0x00000000u, 0xA282EAD8u)]
    [TestCase("61", 0xC1D04330u, 0x28E46E78u)]
    [TestCase("313233343536373839", 0xE3069283u, 0xC78AB0E5u)]
    [TestCase("0000000000000000000000000000000000000000000000000000000000000000", 0x8A9136AAu, 0x0FD7FFFAu)]
    [TestCase("0a00000000000000", 0x5C6B4C1Eu, 0x3ABFA3AEu)]
    [TestCase("1800000000000000", 0x4A65BFE4u, 0x224B7FA3u)]
    [TestCase("0000000000000000", 0x8C28B28Au, 0x07980329u)]
    public void Known_vectors(string hex, uint crc, uint masked)
    {
        byte[] data = Convert.FromHexString(hex);

        Assert.That(MaskedCrc32C.Compute(data), Is.EqualTo(crc));
        Assert.That(MaskedCrc32C.ComputePortable(data), Is.EqualTo(crc));
        Assert.That(MaskedCrc32C.ComputeMasked(data), Is.EqualTo(masked));
    }

    [Test]
    public void Rustboard_vector()
    {
        byte[] data = [0x1a, 0x11, .. Encoding.ASCII.GetBytes("CRC test, one two")];

        Assert.That(MaskedCrc32C.Compute(data), Is.EqualTo(0xF2D95A88u));
        Assert.That(MaskedCrc32C.ComputeMasked(data), Is.EqualTo(0x5794D08Au));
    }

    [FsCheck.NUnit.Property(MaxTest = 500)]
    public Property Hardware_and_portable_agree(byte[] data) =>
        (MaskedCrc32C.Compute(data) == MaskedCrc32C.ComputePortable(data)).ToProperty();

    /// <summary>A record's length header has its own one-instruction path: the same CRC as its eight bytes.</summary>
    [FsCheck.NUnit.Property(MaxTest = 500)]
    public Property A_length_header_masks_like_its_bytes(ulong length)
    {
        byte[] bytes = BitConverter.GetBytes(length);
        if (!BitConverter.IsLittleEndian)
        {
            Array.Reverse(bytes);
        }

        return (MaskedCrc32C.ComputeMasked(length) == MaskedCrc32C.Mask(MaskedCrc32C.ComputePortable(bytes))).ToProperty();
    }

    [FsCheck.NUnit.Property(MaxTest = 500)]
    public Property Unmask_reverses_mask(uint crc) =>
        (MaskedCrc32C.Unmask(MaskedCrc32C.Mask(crc)) == crc).ToProperty();

    [Test]
    public void Every_length_up_to_64_agrees_with_the_portable_table()
    {
        var random = new Random(3);
        for (int length = 0; length <= 64; length++)
        {
            byte[] data = new byte[length];
            random.NextBytes(data);
            Assert.That(MaskedCrc32C.Compute(data), Is.EqualTo(MaskedCrc32C.ComputePortable(data)), $"length {length}");
        }
    }
}
