using System.Reflection;
using System.Reflection.Emit;

namespace Vigil.Architecture.Tests;

/// <summary>
/// Every type a type's compiled code names: its base type and interfaces, the types of its fields, properties, events,
/// parameters, return values and locals, attributes, and the types and members its method bodies use (read from the IL),
/// generic arguments included.
/// </summary>
public static class TypeReferences
{
    private const BindingFlags Declared = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(o => o.Value);

    /// <summary>Each referenced type with where it was found ("Field x", "Method M body"), generic arguments unwrapped.</summary>
    public static IEnumerable<(Type Type, string Where)> Of(Type type)
    {
        var found = new List<(Type, string)>();
        void Add(Type? t, string where)
        {
            if (t is null) return;
            foreach (var each in Unwrap(t)) found.Add((each, where));
        }

        Add(type.BaseType, "base type");
        foreach (var i in type.GetInterfaces()) Add(i, "interface");
        foreach (var a in type.GetCustomAttributesData()) Add(a.AttributeType, "attribute");
        foreach (var f in type.GetFields(Declared)) Add(f.FieldType, $"field {f.Name}");
        foreach (var p in type.GetProperties(Declared)) Add(p.PropertyType, $"property {p.Name}");
        foreach (var e in type.GetEvents(Declared)) Add(e.EventHandlerType, $"event {e.Name}");
        foreach (var method in type.GetMethods(Declared).Cast<MethodBase>().Concat(type.GetConstructors(Declared)))
        {
            var where = $"{(method.IsConstructor ? "constructor" : "method " + method.Name)}";
            if (method is MethodInfo m) Add(m.ReturnType, where);
            foreach (var p in method.GetParameters()) Add(p.ParameterType, where);
            foreach (var a in method.GetCustomAttributesData()) Add(a.AttributeType, where);
            foreach (var (t, what) in BodyReferences(method)) Add(t, $"{where} ({what})");
        }
        return found;
    }

    private static IEnumerable<Type> Unwrap(Type type)
    {
        if (type.HasElementType)
        {
            foreach (var t in Unwrap(type.GetElementType()!)) yield return t;
            yield break;
        }
        if (type.IsGenericParameter) yield break;
        yield return type.IsGenericType ? type.GetGenericTypeDefinition() : type;
        if (type.IsGenericType && !type.IsGenericTypeDefinition)
            foreach (var argument in type.GetGenericArguments())
                foreach (var t in Unwrap(argument)) yield return t;
    }

    private static IEnumerable<(Type Type, string What)> BodyReferences(MethodBase method)
    {
        var body = method.GetMethodBody();
        if (body is null) yield break;
        foreach (var local in body.LocalVariables) yield return (local.LocalType, "local");

        var il = body.GetILAsByteArray() ?? [];
        var module = method.Module;
        var typeArguments = method.DeclaringType is { IsGenericType: true } d ? d.GetGenericArguments() : null;
        var methodArguments = method.IsGenericMethod ? method.GetGenericArguments() : null;
        for (var offset = 0; offset < il.Length;)
        {
            var code = il[offset] == 0xFE ? OpCodesByValue[(short)(0xFE00 | il[offset + 1])] : OpCodesByValue[il[offset]];
            offset += code.Size;
            var operandSize = OperandSize(code.OperandType, il, offset);
            if (code.OperandType is OperandType.InlineMethod or OperandType.InlineField or OperandType.InlineType or OperandType.InlineTok)
            {
                var token = BitConverter.ToInt32(il, offset);
                MemberInfo? member;
                try
                {
                    member = module.ResolveMember(token, typeArguments, methodArguments);
                }
                catch (ArgumentException)
                {
                    member = null;
                }
                switch (member)
                {
                    case Type t:
                        yield return (t, "uses type");
                        break;
                    case FieldInfo f:
                        yield return (f.DeclaringType!, $"uses {f.Name}");
                        yield return (f.FieldType, $"uses {f.Name}");
                        break;
                    case MethodBase m:
                        yield return (m.DeclaringType!, $"calls {m.Name}");
                        if (m is MethodInfo info) yield return (info.ReturnType, $"calls {m.Name}");
                        foreach (var p in m.GetParameters()) yield return (p.ParameterType, $"calls {m.Name}");
                        break;
                }
            }
            offset += operandSize;
        }
    }

    private static int OperandSize(OperandType operand, byte[] il, int offset) => operand switch
    {
        OperandType.InlineNone => 0,
        OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
        OperandType.InlineVar => 2,
        OperandType.InlineI8 or OperandType.InlineR => 8,
        OperandType.InlineSwitch => 4 + 4 * BitConverter.ToInt32(il, offset),
        _ => 4,
    };
}
