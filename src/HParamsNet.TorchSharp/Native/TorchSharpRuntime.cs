using HParamsNet.TorchSharp.Native;
using static TorchSharp.torch;

namespace HParamsNet.TorchSharp;

/// <summary>
/// Loads TorchSharp's native libraries once and, when that fails, says what is missing and what
/// to do instead of a bare <see cref="DllNotFoundException"/>.
/// </summary>
public static class TorchSharpRuntime
{
    private static readonly Lazy<Exception?> LoadFailure = new(TryLoad, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Makes sure torch can run here.</summary>
    /// <exception cref="InvalidOperationException">The native libraries cannot be loaded; the message names what is missing.</exception>
    public static void EnsureAvailable()
    {
        if (LoadFailure.Value is { } failure)
        {
            throw new InvalidOperationException(Explain(failure), failure);
        }
    }

    private static Exception? TryLoad()
    {
        try
        {
            using Tensor probe = ones(1);
            return null;
        }
        catch (Exception e) when (e is DllNotFoundException or TypeInitializationException or NotSupportedException or BadImageFormatException)
        {
            return e;
        }
    }

    private static string Explain(Exception failure)
    {
        string[] candidates =
        [
            Path.Combine(AppContext.BaseDirectory, LibTorchSharpPatch.LibraryFileName),
            Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", LibTorchSharpPatch.LibraryFileName),
            Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-arm64", "native", LibTorchSharpPatch.LibraryFileName),
        ];
        string? library = candidates.FirstOrDefault(File.Exists);
        string? system = LibTorchSharpPatch.FindSystemLibStdCxx();
        if (library is not null && system is not null)
        {
            IReadOnlyList<string> missing = LibTorchSharpPatch.MissingVersions(library, system);
            if (missing.Count > 0)
            {
                return $"TorchSharp's native library '{library}' needs {string.Join(", ", missing)} from libstdc++, which this system's '{system}' lacks. "
                    + "Build the app with HParamsNet.TorchSharp referenced (its build target rewrites that requirement in the build output; see docs/guides/torchsharp.md), "
                    + "or install GCC 13's libstdc++ or newer. Loader message: " + failure.Message;
            }
        }

        return "TorchSharp's native libraries (libtorch, libLibTorchSharp.so) could not be loaded. Reference the TorchSharp-cpu package from the app "
            + "so that they are copied to its output, and check that the platform is supported (Linux x64/arm64, Windows x64, macOS arm64). Loader message: " + failure.Message;
    }
}
