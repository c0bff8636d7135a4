using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using Mono.Cecil;
using Mono.Cecil.Cil;

namespace NanoRnn.HostTests
{
    /// <summary>
    /// What nanoFramework's metadata processor will put in the three tables of a <c>.pe</c> that it
    /// addresses with 16-bit byte offsets (nf-interpreter src/CLR/Include/nanoCLR_Types.h: CLR_STRING,
    /// CLR_SIG and a method's CLR_OFFSET RVA are CLR_UINT16), estimated from the compiled DLL. Past
    /// 65 535 bytes the processor wraps the offset without a word and nanoCLR refuses the assembly at
    /// load ("Resolving. Error: a2000000"). The estimate follows the processor's encoding and is meant to
    /// err high: every distinct name and literal counts in full (the processor leaves out those in
    /// nanoCLR's built-in string table), a signature's type reference counts 3 bytes, and byte code
    /// counts .NET's IL with its 4-byte tokens (the processor writes 2).
    /// </summary>
    internal sealed class PeTables
    {
        /// <summary>The limit of each table: a 16-bit offset reaches 65 535.</summary>
        public const int Limit = 65535;

        public static readonly string[] Names = { "Strings", "Signatures", "ByteCode" };

        public readonly string Assembly;

        // table -> contributor (a type of the assembly, or what else holds the bytes) -> bytes
        private readonly Dictionary<string, Dictionary<string, long>> _bytes =
            Names.ToDictionary(n => n, n => new Dictionary<string, long>());

        private readonly HashSet<string> _strings = new HashSet<string>(StringComparer.Ordinal);
        private readonly HashSet<string> _signatures = new HashSet<string>(StringComparer.Ordinal);

        private PeTables(string assembly)
        {
            Assembly = assembly;
        }

        /// <summary>Bytes of <paramref name="table"/> (one of <see cref="Names"/>).</summary>
        public long Size(string table)
        {
            return _bytes[table].Values.Sum();
        }

        /// <summary>The <paramref name="count"/> largest contributors to <paramref name="table"/>, "name bytes".</summary>
        public string Largest(string table, int count)
        {
            return string.Join(", ", _bytes[table].OrderByDescending(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal)
                .Take(count).Select(p => p.Key + " " + p.Value));
        }

        /// <summary>The estimate for <paramref name="module"/>, or for the types of it that <paramref name="include"/> keeps (the outermost type decides for nested ones).</summary>
        public static PeTables Of(ModuleDefinition module, Func<TypeDefinition, bool> include = null)
        {
            bool Kept(TypeDefinition type)
            {
                while (type.DeclaringType != null)
                {
                    type = type.DeclaringType;
                }

                return include == null || include(type);
            }

            var tables = new PeTables(module.Assembly.Name.Name);
            tables.String(module.Assembly.Name.Name, "(assembly)");
            foreach (AssemblyNameReference reference in module.AssemblyReferences)
            {
                tables.String(reference.Name, "(references)");
            }

            foreach (TypeReference type in module.GetTypeReferences())
            {
                tables.String(type.Name, "(references)");
                tables.String(type.Namespace, "(references)");
            }

            foreach (MemberReference member in module.GetMemberReferences())
            {
                tables.String(member.Name, "(references)");
                tables.Signature(Key(member), SignatureBytes(member), "(references)");
            }

            // Which method's IL loads each array initialiser's data (ldtoken of its RVA field).
            var initialiserOwner = new Dictionary<FieldDefinition, string>();
            foreach (TypeDefinition type in module.GetTypes().Where(Kept))
            {
                foreach (MethodDefinition method in type.Methods.Where(m => m.HasBody))
                {
                    foreach (Instruction instruction in method.Body.Instructions)
                    {
                        if (instruction.OpCode == OpCodes.Ldtoken && instruction.Operand is FieldDefinition data)
                        {
                            initialiserOwner.TryAdd(data, type.FullName);
                        }
                    }
                }
            }

            foreach (TypeDefinition type in module.GetTypes().Where(Kept))
            {
                string owner = type.FullName;
                tables.String(type.Name, owner);
                tables.String(type.Namespace, owner);
                if (type.HasInterfaces)
                {
                    tables.Signature("interfaces " + string.Join(",", type.Interfaces.Select(i => i.InterfaceType.FullName)),
                        1 + 2 * type.Interfaces.Count, owner);
                }

                foreach (CustomAttribute attribute in type.CustomAttributes)
                {
                    tables.Attribute(attribute, owner);
                }

                foreach (FieldDefinition field in type.Fields)
                {
                    tables.String(field.Name, owner);
                    tables.Signature("field " + field.FieldType.FullName, 1 + TypeBytes(field.FieldType), owner);
                    if (field.InitialValue != null && field.InitialValue.Length > 0)
                    {
                        // A length, then the bytes; equal data is stored once.
                        tables.Signature("data " + Convert.ToBase64String(field.InitialValue), 2 + field.InitialValue.Length,
                            initialiserOwner.TryGetValue(field, out string loader) ? loader : owner);
                    }

                    if (field.HasConstant && field.Constant != null)
                    {
                        tables.Signature("constant " + field.FieldType.FullName + " " + field.Constant, 2 + ConstantBytes(field.Constant), owner);
                        if (field.Constant is string text)
                        {
                            tables.String(text, owner);
                        }
                    }
                }

                foreach (MethodDefinition method in type.Methods)
                {
                    tables.String(method.Name, owner);
                    tables.Signature(Key(method), SignatureBytes(method), owner);
                    foreach (CustomAttribute attribute in method.CustomAttributes)
                    {
                        tables.Attribute(attribute, owner);
                    }

                    if (!method.HasBody)
                    {
                        continue;
                    }

                    MethodBody body = method.Body;
                    tables.Add("ByteCode", owner, body.CodeSize + (body.HasExceptionHandlers ? 1 + 12 * body.ExceptionHandlers.Count : 0));
                    if (body.HasVariables)
                    {
                        tables.Signature("locals " + string.Join(",", body.Variables.Select(v => v.VariableType.FullName)),
                            1 + body.Variables.Sum(v => TypeBytes(v.VariableType)), owner);
                    }

                    foreach (Instruction instruction in body.Instructions)
                    {
                        if (instruction.OpCode == OpCodes.Ldstr)
                        {
                            tables.String((string)instruction.Operand, owner);
                        }
                        else if (instruction.Operand is TypeSpecification spec)
                        {
                            tables.Signature("typespec " + spec.FullName, TypeBytes(spec), owner);
                        }
                    }
                }
            }

            return tables;
        }

        private void Add(string table, string contributor, long bytes)
        {
            _bytes[table].TryGetValue(contributor, out long sum);
            _bytes[table][contributor] = sum + bytes;
        }

        // UTF-8 and a terminating zero, once per distinct string.
        private void String(string value, string contributor)
        {
            if (!string.IsNullOrEmpty(value) && _strings.Add(value))
            {
                Add("Strings", contributor, Encoding.UTF8.GetByteCount(value) + 1);
            }
        }

        private void Signature(string key, long bytes, string contributor)
        {
            if (_signatures.Add(key))
            {
                Add("Signatures", contributor, bytes);
            }
        }

        private void Attribute(CustomAttribute attribute, string contributor)
        {
            byte[] blob = attribute.GetBlob();
            Signature("attribute " + attribute.Constructor.FullName + " " + Convert.ToBase64String(blob), blob.Length + 2, contributor);
            foreach (CustomAttributeNamedArgument named in attribute.Fields.Concat(attribute.Properties))
            {
                String(named.Name, contributor);
            }

            foreach (CustomAttributeArgument argument in attribute.ConstructorArguments)
            {
                if (argument.Value is string text)
                {
                    String(text, contributor);
                }
            }
        }

        private static string Key(MemberReference member)
        {
            return member is MethodReference method
                ? "method " + method.ReturnType.FullName + "(" + string.Join(",", method.Parameters.Select(p => p.ParameterType.FullName)) + ")" + method.HasThis
                : "field " + ((FieldReference)member).FieldType.FullName;
        }

        // Calling convention and parameter count, then the return and parameter types; a field: its prefix and type.
        private static long SignatureBytes(MemberReference member)
        {
            return member is MethodReference method
                ? 2 + TypeBytes(method.ReturnType) + method.Parameters.Sum(p => TypeBytes(p.ParameterType))
                : 1 + TypeBytes(((FieldReference)member).FieldType);
        }

        // An element type is a byte; a class or value type adds its 2-byte token (counted 3 to err high).
        private static long TypeBytes(TypeReference type)
        {
            switch (type)
            {
                case ArrayType array:
                    return 1 + TypeBytes(array.ElementType) + (array.IsVector ? 0 : 2 * array.Rank);
                case ByReferenceType byReference:
                    return 1 + TypeBytes(byReference.ElementType);
                case PointerType pointer:
                    return 1 + TypeBytes(pointer.ElementType);
                case GenericInstanceType generic:
                    return 2 + TypeBytes(generic.ElementType) + generic.GenericArguments.Sum(TypeBytes);
                case GenericParameter _:
                    return 2;
                case RequiredModifierType required:
                    return 3 + TypeBytes(required.ElementType);
                case OptionalModifierType optional:
                    return 3 + TypeBytes(optional.ElementType);
            }

            return type.IsPrimitive || type.MetadataType == MetadataType.Void || type.MetadataType == MetadataType.String
                   || type.MetadataType == MetadataType.Object
                ? 1
                : 3;
        }

        private static long ConstantBytes(object value)
        {
            switch (value)
            {
                case string text:
                    return 2 * text.Length;
                case bool _:
                case byte _:
                case sbyte _:
                    return 1;
                case short _:
                case ushort _:
                case char _:
                    return 2;
                case long _:
                case ulong _:
                case double _:
                    return 8;
                default:
                    return 4;
            }
        }
    }
}
