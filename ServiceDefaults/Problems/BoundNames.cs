using System.Globalization;
using System.Reflection;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;

namespace Vigil.ServiceDefaults.Problems;

/// <summary>
/// The name a client wrote for a value that failed to bind. The framework names a property of an
/// <see cref="AsParametersAttribute"/> request object by its C# name ("Limit"); the client wrote the query, route,
/// header or form name ("limit"). That name is the one in the property's <c>[FromQuery(Name = ...)]</c> (or route,
/// header, form) attribute, else the property's name in lower camel case, as the JSON members are named. A plain
/// handler parameter keeps its own name, which is already the one on the wire.
/// </summary>
internal static class BoundNames
{
    /// <summary>The wire name of <paramref name="name"/> (as the framework's message gives it) for the endpoint's handler.</summary>
    public static string OnTheWire(string name, Endpoint? endpoint)
    {
        if (endpoint?.Metadata.GetMetadata<MethodInfo>() is not { } handler) return name;
        foreach (var parameter in handler.GetParameters())
        {
            if (!parameter.IsDefined(typeof(AsParametersAttribute), inherit: false)) continue;
            if (OfMember(parameter.ParameterType, name) is { } wire) return wire;
        }
        return name;
    }

    /// <summary>The wire name of the request object's property <paramref name="property"/>, or null when it has none by that name.</summary>
    internal static string? OfMember(Type requestType, string property)
    {
        if (requestType.GetProperty(property, BindingFlags.Public | BindingFlags.Instance) is not { } member) return null;
        // A positional record's attribute sits on its constructor parameter unless written with "property:"; the framework reads both.
        var constructorParameter = requestType.GetConstructors()
            .SelectMany(c => c.GetParameters())
            .FirstOrDefault(p => string.Equals(p.Name, property, StringComparison.OrdinalIgnoreCase));
        var attributes = member.GetCustomAttributes(inherit: true).Concat(constructorParameter?.GetCustomAttributes(inherit: true) ?? []);
        foreach (var attribute in attributes)
        {
            var named = attribute switch
            {
                IFromQueryMetadata query => query.Name,
                IFromRouteMetadata route => route.Name,
                IFromHeaderMetadata header => header.Name,
                IFromFormMetadata form => form.Name,
                _ => null,
            };
            if (!string.IsNullOrEmpty(named)) return named;
        }
        return char.ToLower(property[0], CultureInfo.InvariantCulture) + property[1..];
    }
}
