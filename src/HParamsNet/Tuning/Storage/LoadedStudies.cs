using System.Collections.Concurrent;

namespace HParamsNet.Tuning.Storage;

/// <summary>
/// The definitions a storage object created or loaded: what a configuration is checked against
/// (a SQL store keeps the experiment as TensorBoard's proto, which lacks log scales and value types).
/// </summary>
internal sealed class LoadedStudies
{
    private readonly ConcurrentDictionary<string, StudyDefinition> _definitions = new(StringComparer.Ordinal);

    public void Add(StudyDefinition definition) => _definitions[definition.Name] = definition;

    /// <exception cref="InvalidOperationException">The study was not created or loaded through this object.</exception>
    public StudyDefinition Get(string study) =>
        _definitions.TryGetValue(study, out StudyDefinition? definition)
            ? definition
            : throw new InvalidOperationException($"Study '{study}' was not created or loaded through this storage object; call CreateOrLoadStudyAsync with its definition first, so that configurations can be checked against its space.");
}
