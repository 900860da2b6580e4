using Mono.Cecil;
using Mono.Cecil.Cil;

namespace HParamsNet.Tests.Architecture;

/// <summary>
/// The namespaces of the core and which others each may use (docs/architecture.md), and what the
/// built assembly actually uses: every type a type names in its signatures, fields, attributes and
/// method bodies (IL), read with Mono.Cecil.
/// </summary>
public static class LayerDependencies
{
    /// <summary>Each layer and the layers below it that it may use (itself always).</summary>
    public static readonly IReadOnlyDictionary<string, string[]> Allowed = new Dictionary<string, string[]>
    {
        ["HParamsNet"] = [],
        ["HParamsNet.Events"] = ["HParamsNet"],
        ["HParamsNet.Summaries"] = ["HParamsNet", "HParamsNet.Events"],
        ["HParamsNet.Sessions"] = ["HParamsNet", "HParamsNet.Events", "HParamsNet.Summaries"],
        ["HParamsNet.Trials"] = ["HParamsNet"],
        ["HParamsNet.Tuning.CrossValidation"] = ["HParamsNet", "HParamsNet.Trials"],
        ["HParamsNet.Tuning.Pruners"] = ["HParamsNet", "HParamsNet.Trials"],
        ["HParamsNet.Tuning.Strategies"] = ["HParamsNet", "HParamsNet.Trials"],
        ["HParamsNet.Tuning.Storage"] = ["HParamsNet", "HParamsNet.Events", "HParamsNet.Summaries", "HParamsNet.Sessions", "HParamsNet.Trials"],
        ["HParamsNet.Tuning"] = ["HParamsNet", "HParamsNet.Events", "HParamsNet.Summaries", "HParamsNet.Sessions", "HParamsNet.Trials", "HParamsNet.Tuning.CrossValidation", "HParamsNet.Tuning.Pruners", "HParamsNet.Tuning.Strategies", "HParamsNet.Tuning.Storage"],
    };

    /// <summary>(from namespace, to namespace, the type that uses, the type used) for every use between two of the core's layers.</summary>
    public static IEnumerable<(string From, string To, string User, string Used)> Uses(string assemblyPath)
    {
        using ModuleDefinition module = ModuleDefinition.ReadModule(assemblyPath);
        foreach (TypeDefinition type in module.Types.SelectMany(AndNested))
        {
            string from = LayerOf(type);
            if (!Allowed.ContainsKey(from))
            {
                continue; // generated protobuf code, <Module>, compiler helpers
            }

            foreach (TypeReference used in Referenced(type).Where(t => t is not null).Distinct())
            {
                string to = LayerOf(used);
                if (to != from && Allowed.ContainsKey(to))
                {
                    yield return (from, to, type.FullName, used.FullName);
                }
            }
        }
    }

    /// <summary>The uses the layering forbids.</summary>
    public static IEnumerable<(string From, string To, string User, string Used)> Violations(IEnumerable<(string From, string To, string User, string Used)> uses) =>
        uses.Where(u => !Allowed[u.From].Contains(u.To));

    private static IEnumerable<TypeDefinition> AndNested(TypeDefinition type) => type.NestedTypes.SelectMany(AndNested).Prepend(type);

    // A nested type (compiler-generated closures and state machines included) belongs to its outermost declaring type's layer.
    private static string LayerOf(TypeReference type)
    {
        TypeReference element = type.GetElementType();
        while (element.DeclaringType is not null)
        {
            element = element.DeclaringType;
        }

        return element.Namespace;
    }

    private static List<TypeReference> Referenced(TypeDefinition type)
    {
        IEnumerable<TypeReference> Expand(TypeReference? t)
        {
            if (t is null)
            {
                yield break;
            }

            yield return t.GetElementType();
            if (t is GenericInstanceType generic)
            {
                foreach (TypeReference argument in generic.GenericArguments.SelectMany(Expand))
                {
                    yield return argument;
                }
            }
        }

        var found = new List<TypeReference>();
        found.AddRange(Expand(type.BaseType));
        found.AddRange(type.Interfaces.SelectMany(i => Expand(i.InterfaceType)));
        found.AddRange(type.CustomAttributes.Select(a => a.AttributeType));
        found.AddRange(type.Fields.SelectMany(f => Expand(f.FieldType)));
        found.AddRange(type.Properties.SelectMany(p => Expand(p.PropertyType)));
        foreach (MethodDefinition method in type.Methods)
        {
            found.AddRange(Expand(method.ReturnType));
            found.AddRange(method.Parameters.SelectMany(p => Expand(p.ParameterType)));
            found.AddRange(method.CustomAttributes.Select(a => a.AttributeType));
            if (!method.HasBody)
            {
                continue;
            }

            found.AddRange(method.Body.Variables.SelectMany(v => Expand(v.VariableType)));
            foreach (Instruction instruction in method.Body.Instructions)
            {
                found.AddRange(instruction.Operand switch
                {
                    TypeReference t => Expand(t),
                    MethodReference m => Expand(m.DeclaringType).Concat(Expand(m.ReturnType)),
                    FieldReference f => Expand(f.DeclaringType).Concat(Expand(f.FieldType)),
                    _ => [],
                });
            }
        }

        return found;
    }
}
