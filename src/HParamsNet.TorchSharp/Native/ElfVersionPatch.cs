// This file is compiled twice: into HParamsNet.TorchSharp (HPARAMSNET_LIBRARY is defined there),
// and by MSBuild's RoslynCodeTaskFactory for the build target in build/HParamsNet.TorchSharp.targets,
// where the task class at the end is included. It therefore sticks to APIs and syntax that the
// inline-task compiler (netstandard references) accepts.
#nullable enable
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;

namespace HParamsNet.TorchSharp.Native
{
    /// <summary>A symbol version that an ELF shared library requires from one of its dependencies.</summary>
    internal sealed class ElfVersionRequirement
    {
        /// <summary>Creates a requirement.</summary>
        public ElfVersionRequirement(string file, string version)
        {
            File = file;
            Version = version;
        }

        /// <summary>The dependency, e.g. <c>libstdc++.so.6</c>.</summary>
        public string File { get; }

        /// <summary>The version, e.g. <c>GLIBCXX_3.4.32</c>.</summary>
        public string Version { get; }

        /// <inheritdoc/>
        public override string ToString() => File + ": " + Version;
    }

    /// <summary>
    /// Reads and rewrites the symbol-version sections of 64-bit little-endian ELF files: the
    /// versions a library requires (<c>.gnu.version_r</c>) and the versions a library defines
    /// (<c>.gnu.version_d</c>).
    /// </summary>
    internal static class ElfSymbolVersions
    {
        private const uint SectionTypeDynamicSymbols = 11;
        private const uint SectionTypeVersionDefinitions = 0x6ffffffd;
        private const uint SectionTypeVersionRequirements = 0x6ffffffe;
        private const uint SectionTypeSymbolVersions = 0x6fffffff;

        /// <summary>The versions <paramref name="path"/> requires, by dependency.</summary>
        /// <exception cref="InvalidDataException">Not a 64-bit little-endian ELF file.</exception>
        public static IReadOnlyList<ElfVersionRequirement> ReadRequirements(string path)
        {
            byte[] elf = System.IO.File.ReadAllBytes(path);
            var result = new List<ElfVersionRequirement>();
            foreach (Vernaux aux in Requirements(elf, path))
            {
                result.Add(new ElfVersionRequirement(aux.File, aux.Name));
            }

            return result;
        }

        /// <summary>
        /// The dynamic symbols of <paramref name="path"/> bound to <paramref name="version"/> of
        /// <paramref name="file"/>: each symbol's entry in <c>.gnu.version</c> holds the index
        /// (<c>vna_other</c>) of the requirement it needs.
        /// </summary>
        /// <exception cref="InvalidDataException">Not a 64-bit little-endian ELF file, or its tables run past its end.</exception>
        public static IReadOnlyList<string> SymbolsRequiring(string path, string file, string version)
        {
            byte[] elf = System.IO.File.ReadAllBytes(path);
            var indexes = new HashSet<int>(Requirements(elf, path).Where(r => r.File == file && r.Name == version).Select(r => r.Index));
            var names = new List<string>();
            Section? symbols = FindSection(elf, SectionTypeDynamicSymbols, path);
            Section? versions = FindSection(elf, SectionTypeSymbolVersions, path);
            if (indexes.Count == 0 || symbols == null || versions == null)
            {
                return names;
            }

            Section strings = SectionAt(elf, (int)symbols.Value.Link, path);
            long count = Math.Min(symbols.Value.Size / 24, versions.Value.Size / 2);
            for (long i = 0; i < count; i++)
            {
                int index = BitConverter.ToUInt16(elf, (int)(versions.Value.Offset + (2 * i))) & 0x7fff; // the top bit marks a hidden symbol
                if (indexes.Contains(index))
                {
                    names.Add(ReadString(elf, strings, BitConverter.ToUInt32(elf, (int)(symbols.Value.Offset + (24 * i))), path));
                }
            }

            return names;
        }

        /// <summary>The versions <paramref name="path"/> defines (what it offers to others).</summary>
        /// <exception cref="InvalidDataException">Not a 64-bit little-endian ELF file.</exception>
        public static IReadOnlyList<string> ReadDefinitions(string path)
        {
            byte[] elf = System.IO.File.ReadAllBytes(path);
            var names = new List<string>();
            Section? section = FindSection(elf, SectionTypeVersionDefinitions, path);
            if (section == null)
            {
                return names;
            }

            Section strings = SectionAt(elf, (int)section.Value.Link, path);
            long at = section.Value.Offset;
            for (int i = 0; i < section.Value.Info && at + 20 <= elf.Length; i++)
            {
                uint firstAux = BitConverter.ToUInt32(elf, (int)at + 12);
                uint next = BitConverter.ToUInt32(elf, (int)at + 16);
                long aux = at + firstAux;
                if (aux + 8 <= elf.Length)
                {
                    names.Add(ReadString(elf, strings, BitConverter.ToUInt32(elf, (int)aux), path));
                }

                if (next == 0)
                {
                    break;
                }

                at += next;
            }

            return names;
        }

        /// <summary>
        /// Rewrites a required version name in place (same length only) and its hash, so that the
        /// dynamic linker asks for <paramref name="to"/> instead of <paramref name="from"/>.
        /// </summary>
        /// <returns>How many requirements were rewritten (0 when none names <paramref name="from"/>).</returns>
        public static int RewriteRequirement(string path, string from, string to)
        {
            if (from.Length != to.Length)
            {
                throw new ArgumentException("A version name can only be replaced by one of the same length ('" + from + "' -> '" + to + "').", nameof(to));
            }

            byte[] elf = System.IO.File.ReadAllBytes(path);
            int rewritten = 0;
            foreach (Vernaux aux in Requirements(elf, path))
            {
                if (aux.Name != from)
                {
                    continue;
                }

                byte[] name = Encoding.ASCII.GetBytes(to);
                Array.Copy(name, 0, elf, aux.NameOffset, name.Length);
                byte[] hash = BitConverter.GetBytes(Hash(to));
                Array.Copy(hash, 0, elf, aux.EntryOffset, hash.Length);
                rewritten++;
            }

            if (rewritten > 0)
            {
                // Write beside, then replace: a crash never leaves a half-written library.
                string temporary = path + ".hparamsnet-patch";
                System.IO.File.WriteAllBytes(temporary, elf);
                System.IO.File.Copy(temporary, path, overwrite: true);
                System.IO.File.Delete(temporary);
            }

            return rewritten;
        }

        /// <summary>The System V ELF hash of a name, as version entries store it.</summary>
        public static uint Hash(string name)
        {
            uint h = 0;
            foreach (char c in name)
            {
                h = (h << 4) + (byte)c;
                uint g = h & 0xf0000000;
                if (g != 0)
                {
                    h ^= g >> 24;
                }

                h &= ~g;
            }

            return h;
        }

        private static IEnumerable<Vernaux> Requirements(byte[] elf, string path)
        {
            Section? section = FindSection(elf, SectionTypeVersionRequirements, path);
            if (section == null)
            {
                yield break;
            }

            Section strings = SectionAt(elf, (int)section.Value.Link, path);
            long at = section.Value.Offset;
            for (int i = 0; i < section.Value.Info; i++)
            {
                Require(at + 16 <= elf.Length, path, "a version requirement runs past the end of the file");
                ushort count = BitConverter.ToUInt16(elf, (int)at + 2);
                string file = ReadString(elf, strings, BitConverter.ToUInt32(elf, (int)at + 4), path);
                long aux = at + BitConverter.ToUInt32(elf, (int)at + 8);
                for (int j = 0; j < count; j++)
                {
                    Require(aux + 16 <= elf.Length, path, "a version entry runs past the end of the file");
                    uint nameIndex = BitConverter.ToUInt32(elf, (int)aux + 8);
                    ushort index = BitConverter.ToUInt16(elf, (int)aux + 6);
                    yield return new Vernaux(file, ReadString(elf, strings, nameIndex, path), (int)aux, (int)(strings.Offset + nameIndex), index);
                    uint nextAux = BitConverter.ToUInt32(elf, (int)aux + 12);
                    if (nextAux == 0)
                    {
                        break;
                    }

                    aux += nextAux;
                }

                uint next = BitConverter.ToUInt32(elf, (int)at + 12);
                if (next == 0)
                {
                    break;
                }

                at += next;
            }
        }

        private static Section? FindSection(byte[] elf, uint type, string path)
        {
            Require(elf.Length >= 64 && elf[0] == 0x7f && elf[1] == (byte)'E' && elf[2] == (byte)'L' && elf[3] == (byte)'F', path, "not an ELF file");
            Require(elf[4] == 2 && elf[5] == 1, path, "only 64-bit little-endian ELF files are supported");
            int count = BitConverter.ToUInt16(elf, 0x3C);
            for (int i = 0; i < count; i++)
            {
                Section section = SectionAt(elf, i, path);
                if (section.Type == type)
                {
                    return section;
                }
            }

            return null;
        }

        private static Section SectionAt(byte[] elf, int index, string path)
        {
            long table = (long)BitConverter.ToUInt64(elf, 0x28);
            int entrySize = BitConverter.ToUInt16(elf, 0x3A);
            long at = table + ((long)index * entrySize);
            Require(entrySize >= 64 && at + 64 <= elf.Length, path, "a section header lies outside the file");
            var section = new Section(
                BitConverter.ToUInt32(elf, (int)at + 4),
                (long)BitConverter.ToUInt64(elf, (int)at + 24),
                (long)BitConverter.ToUInt64(elf, (int)at + 32),
                BitConverter.ToUInt32(elf, (int)at + 40),
                BitConverter.ToUInt32(elf, (int)at + 44));
            Require(section.Offset >= 0 && section.Offset + section.Size <= elf.Length, path, "a section lies outside the file");
            return section;
        }

        private static string ReadString(byte[] elf, Section strings, uint index, string path)
        {
            long start = strings.Offset + index;
            Require(index < strings.Size, path, "a name lies outside its string table");
            long end = start;
            while (end < strings.Offset + strings.Size && elf[end] != 0)
            {
                end++;
            }

            return Encoding.ASCII.GetString(elf, (int)start, (int)(end - start));
        }

        private static void Require(bool condition, string path, string problem)
        {
            if (!condition)
            {
                throw new InvalidDataException("'" + path + "': " + problem + ".");
            }
        }

        private struct Section
        {
            public Section(uint type, long offset, long size, uint link, uint info)
            {
                Type = type;
                Offset = offset;
                Size = size;
                Link = link;
                Info = info;
            }

            public uint Type { get; }

            public long Offset { get; }

            public long Size { get; }

            public uint Link { get; }

            public uint Info { get; }
        }

        private sealed class Vernaux
        {
            public Vernaux(string file, string name, int entryOffset, int nameOffset, int index)
            {
                File = file;
                Name = name;
                EntryOffset = entryOffset;
                NameOffset = nameOffset;
                Index = index;
            }

            // vna_other: the number symbols' .gnu.version entries use for this requirement.
            public int Index { get; }

            public string File { get; }

            public string Name { get; }

            public int EntryOffset { get; }

            public int NameOffset { get; }
        }
    }

    /// <summary>What <see cref="LibTorchSharpPatch.Apply(string, string, out string)"/> did to one library file.</summary>
    internal enum LibTorchSharpPatchOutcome
    {
        /// <summary>
        /// The system's libstdc++ has every version the library requires (on a newer system, or a
        /// copy an earlier build already patched): nothing was changed.
        /// </summary>
        NotNeeded = 0,

        /// <summary>The library's requirement was rewritten to a version the system has.</summary>
        Patched = 1,

        /// <summary>The library needs versions this fix does not cover; nothing was changed and loading it will fail.</summary>
        CannotPatch = 2,
    }

    /// <summary>
    /// The Debian 12 fix for TorchSharp's native library: <c>libLibTorchSharp.so</c> requires
    /// <c>GLIBCXX_3.4.32</c> (GCC 13's libstdc++) for one symbol it never calls
    /// (<c>std::ios_base_library_init</c>, bound lazily). Where the system's libstdc++ stops at
    /// <c>GLIBCXX_3.4.30</c> (GCC 12), the requirement is rewritten to that version, in a copy in
    /// the build output, never in the NuGet cache.
    /// </summary>
    internal static class LibTorchSharpPatch
    {
        /// <summary>The library file name.</summary>
        public const string LibraryFileName = "libLibTorchSharp.so";

        /// <summary>The dependency whose version requirements are rewritten.</summary>
        public const string LibStdCxx = "libstdc++.so.6";

        /// <summary>The version rewritten to: GCC 12's, the newest on Debian 12.</summary>
        public const string Target = "GLIBCXX_3.4.30";

        // Requirements that may be redirected, and then only if every symbol bound to them is one
        // the library never calls: std::ios_base_library_init, referenced and bound lazily (PLT).
        private static readonly string[] Rewritable = { "GLIBCXX_3.4.31", "GLIBCXX_3.4.32" };

        /// <summary>The symbols known never to be called, which may keep an older version: today one.</summary>
        public static readonly IReadOnlyList<string> NeverCalled = new[] { "_ZSt21ios_base_library_initv" };

        /// <summary>Where the system's libstdc++ usually is, in search order.</summary>
        public static readonly IReadOnlyList<string> SystemLibStdCxxCandidates =
        [
            "/usr/lib/x86_64-linux-gnu/libstdc++.so.6",
            "/usr/lib/aarch64-linux-gnu/libstdc++.so.6",
            "/usr/lib64/libstdc++.so.6",
            "/lib/x86_64-linux-gnu/libstdc++.so.6",
            "/usr/lib/libstdc++.so.6",
        ];

        /// <summary>The system's libstdc++, or null when none is found.</summary>
        public static string? FindSystemLibStdCxx() => SystemLibStdCxxCandidates.FirstOrDefault(System.IO.File.Exists);

        /// <summary>The libstdc++ versions <paramref name="library"/> requires that <paramref name="systemLibStdCxx"/> lacks.</summary>
        public static IReadOnlyList<string> MissingVersions(string library, string systemLibStdCxx)
        {
            var defined = new HashSet<string>(ElfSymbolVersions.ReadDefinitions(systemLibStdCxx), StringComparer.Ordinal);
            return ElfSymbolVersions.ReadRequirements(library)
                .Where(r => r.File == LibStdCxx && !defined.Contains(r.Version))
                .Select(r => r.Version)
                .Distinct()
                .ToList();
        }

        /// <summary>Patches <paramref name="library"/> if, and only if, the system's libstdc++ needs it; safe to repeat.</summary>
        /// <param name="library">A copy of libLibTorchSharp.so in a build output.</param>
        /// <param name="systemLibStdCxx">The system's libstdc++.so.6.</param>
        /// <param name="detail">What was done or what is missing, in a sentence.</param>
        public static LibTorchSharpPatchOutcome Apply(string library, string systemLibStdCxx, out string detail) =>
            Apply(library, systemLibStdCxx, NeverCalled, out detail);

        /// <summary>As <see cref="Apply(string, string, out string)"/>, with the symbols that may be redirected given.</summary>
        internal static LibTorchSharpPatchOutcome Apply(string library, string systemLibStdCxx, IReadOnlyList<string> neverCalled, out string detail)
        {
            IReadOnlyList<string> missing = MissingVersions(library, systemLibStdCxx);
            if (missing.Count == 0)
            {
                detail = "'" + systemLibStdCxx + "' provides every libstdc++ version '" + library + "' requires; nothing to change.";
                return LibTorchSharpPatchOutcome.NotNeeded;
            }

            var uncovered = missing.Where(v => !Rewritable.Contains(v)).ToList();
            if (uncovered.Count > 0 || !ElfSymbolVersions.ReadDefinitions(systemLibStdCxx).Contains(Target))
            {
                detail = "'" + library + "' requires " + string.Join(", ", missing) + " from libstdc++, which '" + systemLibStdCxx
                    + "' lacks, and only " + string.Join("/", Rewritable) + " can be redirected to " + Target
                    + ". Install a newer libstdc++ (GCC 13 or later) or use a TorchSharp build for this system.";
                return LibTorchSharpPatchOutcome.CannotPatch;
            }

            // Symbol by symbol: a library that binds anything else to these versions would call it.
            var unexpected = missing
                .SelectMany(v => ElfSymbolVersions.SymbolsRequiring(library, LibStdCxx, v).Select(symbol => symbol + " (" + v + ")"))
                .Where(bound => !neverCalled.Any(symbol => bound.StartsWith(symbol + " (", StringComparison.Ordinal)))
                .Distinct()
                .ToList();
            if (unexpected.Count > 0)
            {
                detail = "'" + library + "' needs " + string.Join(", ", unexpected) + " from libstdc++, which '" + systemLibStdCxx
                    + "' lacks; only " + string.Join(", ", neverCalled) + " is known never to be called, so nothing was changed."
                    + " Install a newer libstdc++ (GCC 13 or later) or use a TorchSharp build for this system.";
                return LibTorchSharpPatchOutcome.CannotPatch;
            }

            foreach (string version in missing)
            {
                ElfSymbolVersions.RewriteRequirement(library, version, Target);
            }

            detail = "Rewrote '" + library + "' to require " + Target + " instead of " + string.Join(", ", missing) + " (the system libstdc++ '" + systemLibStdCxx + "' lacks them).";
            return LibTorchSharpPatchOutcome.Patched;
        }
    }

#if !HPARAMSNET_LIBRARY
    /// <summary>The MSBuild task behind the HParamsNet.TorchSharp build target.</summary>
    public class PatchLibTorchSharpForSystemLibStdCxx : Microsoft.Build.Utilities.Task
    {
        /// <summary>The copies of libLibTorchSharp.so in the build output.</summary>
        [Microsoft.Build.Framework.Required]
        public Microsoft.Build.Framework.ITaskItem[] Libraries { get; set; } = Array.Empty<Microsoft.Build.Framework.ITaskItem>();

        /// <inheritdoc/>
        public override bool Execute()
        {
            string? system = LibTorchSharpPatch.FindSystemLibStdCxx();
            if (system == null)
            {
                Log.LogMessage(Microsoft.Build.Framework.MessageImportance.Low, "HParamsNet.TorchSharp: no system libstdc++.so.6 found; nothing patched.");
                return true;
            }

            foreach (Microsoft.Build.Framework.ITaskItem item in Libraries)
            {
                string detail;
                LibTorchSharpPatchOutcome outcome = LibTorchSharpPatch.Apply(item.ItemSpec, system, out detail);
                if (outcome == LibTorchSharpPatchOutcome.CannotPatch)
                {
                    // The library would fail to load at run time: say so now, with the way out.
                    Log.LogError("HParamsNet.TorchSharp: " + detail);
                    return false;
                }
                else
                {
                    Log.LogMessage(outcome == LibTorchSharpPatchOutcome.Patched ? Microsoft.Build.Framework.MessageImportance.High : Microsoft.Build.Framework.MessageImportance.Low, "HParamsNet.TorchSharp: " + detail);
                }
            }

            return true;
        }
    }
#endif
}
