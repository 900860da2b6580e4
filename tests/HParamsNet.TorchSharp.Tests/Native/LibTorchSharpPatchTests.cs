using HParamsNet.Tests.Common;
using System.Reflection;
using HParamsNet.TorchSharp.Native;

namespace HParamsNet.TorchSharp.Tests.Native;

/// <summary>The Debian 12 fix, on copies of the real libLibTorchSharp.so.</summary>
public class LibTorchSharpPatchTests
{
    private static string Original()
    {
        string root = typeof(LibTorchSharpPatchTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "NuGetPackageRoot").Value!;
        string path = Path.Combine(root, "torchsharp", "0.107.0", "runtimes", "linux-x64", "native", LibTorchSharpPatch.LibraryFileName);
        Assume.That(File.Exists(path), $"TorchSharp's linux-x64 native library is not at {path}");
        return path;
    }

    private static string SystemLibStdCxx()
    {
        string? system = LibTorchSharpPatch.FindSystemLibStdCxx();
        Assume.That(system, Is.Not.Null, "no system libstdc++.so.6");
        return system!;
    }

    [Test]
    public void The_library_as_shipped_requires_GLIBCXX_3_4_32()
    {
        var requirements = ElfSymbolVersions.ReadRequirements(Original());

        Assert.That(requirements.Where(r => r.File == "libstdc++.so.6").Select(r => r.Version), Does.Contain("GLIBCXX_3.4.32").And.Contain("GLIBCXX_3.4.30"));
    }

    [Test]
    public void The_one_symbol_bound_to_GLIBCXX_3_4_32_is_the_one_never_called()
    {
        IReadOnlyList<string> bound = ElfSymbolVersions.SymbolsRequiring(Original(), LibTorchSharpPatch.LibStdCxx, "GLIBCXX_3.4.32");
        IReadOnlyList<string> older = ElfSymbolVersions.SymbolsRequiring(Original(), LibTorchSharpPatch.LibStdCxx, "GLIBCXX_3.4.30");

        Assert.That(bound, Is.EqualTo(LibTorchSharpPatch.NeverCalled));
        Assert.That(older, Is.Not.Empty.And.All.StartsWith("_Z"), "the reader finds the symbols of other versions too");
    }

    [Test]
    public void A_library_binding_another_symbol_to_the_missing_version_is_left_alone_with_a_message()
    {
        string system = SystemLibStdCxx();
        Assume.That(ElfSymbolVersions.ReadDefinitions(system), Does.Not.Contain("GLIBCXX_3.4.32"), "this system's libstdc++ is new enough: nothing to patch");
        using var dir = new TempDirectory();
        string copy = dir.Combine(LibTorchSharpPatch.LibraryFileName);
        File.Copy(Original(), copy);
        byte[] before = File.ReadAllBytes(copy);

        LibTorchSharpPatchOutcome outcome = LibTorchSharpPatch.Apply(copy, system, neverCalled: [], out string detail);

        Assert.That(outcome, Is.EqualTo(LibTorchSharpPatchOutcome.CannotPatch));
        Assert.That(detail, Does.Contain("_ZSt21ios_base_library_initv (GLIBCXX_3.4.32)").And.Contain("nothing was changed").And.Contain(copy));
        Assert.That(File.ReadAllBytes(copy), Is.EqualTo(before));
    }

    [Test]
    public void Patching_a_copy_redirects_the_requirement_and_is_idempotent()
    {
        string system = SystemLibStdCxx();
        Assume.That(ElfSymbolVersions.ReadDefinitions(system), Does.Not.Contain("GLIBCXX_3.4.32"), "this system's libstdc++ is new enough: nothing to patch");
        using var dir = new TempDirectory();
        string original = Original();
        string copy = dir.Combine(LibTorchSharpPatch.LibraryFileName);
        File.Copy(original, copy);
        byte[] originalBytes = File.ReadAllBytes(original);

        Assert.That(LibTorchSharpPatch.MissingVersions(copy, system), Is.EqualTo(new[] { "GLIBCXX_3.4.32" }));
        LibTorchSharpPatchOutcome first = LibTorchSharpPatch.Apply(copy, system, out string detail);
        byte[] patched = File.ReadAllBytes(copy);
        LibTorchSharpPatchOutcome second = LibTorchSharpPatch.Apply(copy, system, out _);

        Assert.Multiple(() =>
        {
            Assert.That(first, Is.EqualTo(LibTorchSharpPatchOutcome.Patched));
            Assert.That(detail, Does.Contain("GLIBCXX_3.4.32").And.Contain(copy));
            Assert.That(LibTorchSharpPatch.MissingVersions(copy, system), Is.Empty);
            Assert.That(ElfSymbolVersions.ReadRequirements(copy).Select(r => r.Version), Does.Not.Contain("GLIBCXX_3.4.32"));
            Assert.That(second, Is.EqualTo(LibTorchSharpPatchOutcome.NotNeeded));
            Assert.That(File.ReadAllBytes(copy), Is.EqualTo(patched), "a second run changes nothing");
            Assert.That(patched.Length, Is.EqualTo(originalBytes.Length));
            Assert.That(CountDifferentBytes(originalBytes, patched), Is.InRange(1, 5), "only the name's last byte and the entry's hash");
            Assert.That(File.ReadAllBytes(original), Is.EqualTo(originalBytes), "the NuGet cache is never touched");
        });
    }

    [Test]
    public void The_build_target_patched_the_copy_in_this_test_output()
    {
        string system = SystemLibStdCxx();
        string copy = Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", LibTorchSharpPatch.LibraryFileName);
        Assume.That(File.Exists(copy), "no linux-x64 copy in the output");

        Assert.That(LibTorchSharpPatch.MissingVersions(copy, system), Is.Empty);
        Assert.DoesNotThrow(TorchSharpRuntime.EnsureAvailable);
    }

    [TestCase("GLIBCXX_3.4.30", 0x297f840u)]
    [TestCase("GLIBCXX_3.4.32", 0x297f842u)]
    [TestCase("", 0u)]
    public void Elf_hash_matches_the_system_v_definition(string name, uint hash) =>
        Assert.That(ElfSymbolVersions.Hash(name), Is.EqualTo(hash));

    [Test]
    public void A_file_that_is_not_elf_is_a_clear_error()
    {
        using var dir = new TempDirectory();
        string path = dir.Combine("not-elf.so");
        File.WriteAllText(path, new string('x', 100));

        var error = Assert.Throws<InvalidDataException>(() => ElfSymbolVersions.ReadRequirements(path))!;

        Assert.That(error.Message, Does.Contain(path).And.Contain("not an ELF file"));
    }

    [Test]
    public void Names_of_different_length_are_refused()
    {
        Assert.Throws<ArgumentException>(() => ElfSymbolVersions.RewriteRequirement("unused", "GLIBCXX_3.4.32", "GLIBCXX_3.4"));
    }

    private static int CountDifferentBytes(byte[] a, byte[] b) => a.Zip(b).Count(p => p.First != p.Second);
}
