using System.Text.Json;
using System.Text.Json.Serialization;

namespace Vigil.Scoring.Ensemble;

/// <summary>Enums as camelCase text in requests, metrics and model documents ("meanStd", "perturbations").</summary>
public sealed class CamelCaseEnumConverter<TEnum>() : JsonStringEnumConverter<TEnum>(JsonNamingPolicy.CamelCase) where TEnum : struct, Enum;
