using System.Diagnostics;
using HParamsNet.Sessions;
using HParamsNet.Storage;
using HParamsNet.Tests.Common;
using HParamsNet.Trials;
using HParamsNet.Tuning;
using HParamsNet.Tuning.Storage;
using HParamsNet.Tuning.Strategies;

namespace HParamsNet.Tests.Reliability;

/// <summary>
/// A study whose disk fills up: it stops with the operating system's error naming the file,
/// loses nothing already written, and resumes once there is room again. Needs root (a small tmpfs
/// is mounted for it), which CI has.
/// </summary>
[Category(TestCategories.Integration)]
public class FullDiskTests
{
    private static readonly HParam Units = new("units", new Discrete(8, 16, 32, 64));
    private static readonly HParam Rate = new("rate", new RealInterval(0.001, 0.1) { Log = true });

    [Test]
    public async Task A_full_disk_stops_the_study_and_resume_finishes_it_once_there_is_room()
    {
        Assume.That(Environment.UserName == "root" && OperatingSystem.IsLinux(), "mounting a small tmpfs needs root on Linux"); // an assumption about the machine
        using var dir = new TempDirectory();
        string mount = dir.Combine("disk");
        Directory.CreateDirectory(mount);
        Run("mount", "-t", "tmpfs", "-o", "size=192k", "tmpfs", mount);
        try
        {
            string logDir = Path.Combine(mount, "study");
            TunerOptions options = new()
            {
                LogDir = logDir,
                Space = [Units, Rate],
                Objective = new Objective(new Metric("loss"), StudyDirection.Minimize),
                Strategy = new GridSearch(),
            };

            // Each trial writes about 40 KB of curves: the disk is full within a few trials.
            static double Objective(Trial trial)
            {
                for (int step = 1; step <= 1000; step++)
                {
                    trial.Report(1.0 / step, step);
                }

                return trial.Get<double>("rate");
            }

            var error = Assert.ThrowsAsync<StudyRecordException>(() => new Tuner(options).RunAsync(Objective))!;
            Assert.That(error.Message, Does.Contain($"Writing the study's record in '{logDir}").And.Contain("No space left on device").And.Contain("run the study again: it resumes where it stopped"));

            var before = HParamsLogReader.ReadSessions(logDir);
            var finished = before.Where(s => s.HasEnd).ToList();
            Assert.That(finished, Is.Not.Empty, "some trials finished before the disk filled");
            Assert.That(finished.Select(s => s.Status), Has.All.EqualTo(SessionStatus.Success), "no trial was failed for the disk's sake and then kept as a result");
            var kept = finished.SelectMany(s => Directory.EnumerateFiles(Path.Combine(logDir, s.Name))).ToDictionary(f => f, File.ReadAllBytes);

            Run("mount", "-o", "remount,size=4m", mount);
            StudyResult result = await new Tuner(options).RunAsync(Objective);

            // The trial the full disk cut short is failed as cut short (never as the configuration's
            // result) and its configuration ran again: 8 complete trials, one per configuration.
            var complete = result.Trials.Where(t => t.State == TrialState.Complete).ToList();
            Assert.That(complete, Has.Count.EqualTo(8));
            Assert.That(complete.Select(t => $"{t.HParams["units"]}/{t.HParams["rate"]}"), Is.Unique);
            Assert.That(result.Trials.Where(t => t.State != TrialState.Complete).Select(t => t.RunsAgain), Has.All.True);
            Assert.That(HParamsLogReader.ReadSessions(logDir).Select(s => s.HasEnd), Has.All.True);
            Assert.That(LogDirectoryValidator.Validate(logDir).HasErrors, Is.False);
            foreach ((string file, byte[] bytes) in kept)
            {
                Assert.That(File.ReadAllBytes(file), Is.EqualTo(bytes), $"{file} was written before the disk filled and is untouched");
            }
        }
        finally
        {
            Run("umount", "-l", mount);
        }
    }

    [Test]
    public async Task A_sqlite_storage_on_a_read_only_or_full_disk_is_said_naming_the_file_and_keeps_what_it_holds()
    {
        // Regression: a storage the user cannot write (SQLite error 8) was a stack trace, exit 134.
        // As root no permission stops a write, so the disk itself is made read-only.
        Assume.That(Environment.UserName == "root" && OperatingSystem.IsLinux(), "mounting a small tmpfs needs root on Linux"); // an assumption about the machine
        using var dir = new TempDirectory();
        string mount = dir.Combine("disk");
        Directory.CreateDirectory(mount);
        Run("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", mount);
        try
        {
            string db = Path.Combine(mount, "study.db");
            var definition = new StudyDefinition("s", new HParamsExperiment([Units], [new Metric("loss")]), new Objective(new Metric("loss"), StudyDirection.Minimize));
            await using (SqliteStudyStorage storage = await SqliteStudyStorage.OpenAsync(db))
            {
                await storage.CreateOrLoadStudyAsync(definition);
                int first = await storage.CreateTrialAsync("s");
                await storage.FinishTrialAsync("s", first, TrialOutcome.Complete(1));
            }

            Run("mount", "-o", "remount,ro", mount);
            var readOnly = Assert.CatchAsync<StudyStorageException>(async () =>
            {
                await using SqliteStudyStorage storage = await SqliteStudyStorage.OpenAsync(db);
                await storage.CreateTrialAsync("s");
            })!;

            Run("mount", "-o", "remount,rw", mount);
            await File.WriteAllBytesAsync(Path.Combine(mount, "filler"), new byte[900 * 1024]);
            var full = Assert.CatchAsync<StudyStorageException>(async () =>
            {
                await using SqliteStudyStorage storage = await SqliteStudyStorage.OpenAsync(db);
                for (int i = 0; i < 2000; i++)
                {
                    int number = await storage.CreateTrialAsync("s");
                    await storage.FinishTrialAsync("s", number, TrialOutcome.Failed(new string('x', 2000)));
                }
            })!;

            File.Delete(Path.Combine(mount, "filler"));
            await using SqliteStudyStorage again = await SqliteStudyStorage.OpenExistingAsync(db);
            FrozenTrial kept = (await again.GetTrialsAsync("s"))[0];

            Assert.That(readOnly, Is.InstanceOf<StudyStorageAccessException>(), readOnly.ToString());
            Assert.That(readOnly.Message, Does.Contain($"'{db}'").And.Contain("Make the file and its directory writable"));
            Assert.That(full, Is.InstanceOf<StudyStorageUnavailableException>(), full.ToString());
            Assert.That(full.Message, Does.Contain($"'{db}'").And.Contain("the disk holding it is full"));
            Assert.That((kept.State, kept.Value), Is.EqualTo((TrialState.Complete, 1.0)), "what was written before is there");
        }
        finally
        {
            Run("umount", "-l", mount);
        }
    }

    private static void Run(string command, params string[] arguments)
    {
        using Process process = Process.Start(command, arguments);
        process.WaitForExit();
        Assert.That(process.ExitCode, Is.Zero, $"{command} {string.Join(' ', arguments)}");
    }
}
