using System;
using System.IO;
using System.Linq;
using System.Text;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

/// <summary>
/// Marks one symbol-version requirement of an ELF64 little-endian shared library as weak, for
/// every copy of the library under a folder, when the host's libstdc++ does not define it.
/// </summary>
public sealed class WeakenElfVersionRequirement : Task
{
    private const uint SectionTypeVersionNeed = 0x6ffffffe;
    private const ushort VersionFlagWeak = 0x2;

    private static readonly string[] LibStdCxxCandidates =
    {
        "/usr/lib/x86_64-linux-gnu/libstdc++.so.6",
        "/lib/x86_64-linux-gnu/libstdc++.so.6",
        "/usr/lib64/libstdc++.so.6",
        "/usr/lib/libstdc++.so.6",
        "/usr/lib/aarch64-linux-gnu/libstdc++.so.6",
    };

    [Required] public string Directory { get; set; } = "";
    [Required] public string FileName { get; set; } = "";
    [Required] public string VersionName { get; set; } = "";

    public override bool Execute()
    {
        if (!System.IO.Directory.Exists(Directory)) return true;
        var targets = System.IO.Directory.GetFiles(Directory, FileName, SearchOption.AllDirectories);
        if (targets.Length == 0) return true;
        if (HostProvides(VersionName))
        {
            Log.LogMessage(MessageImportance.Low, $"Host libstdc++ provides {VersionName}; {FileName} left as it is.");
            return true;
        }
        foreach (var path in targets)
        {
            try
            {
                if (Weaken(path))
                    Log.LogMessage(MessageImportance.High, $"Marked {VersionName} weak in {path} (host libstdc++ lacks it).");
            }
            catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
            {
                Log.LogError($"Cannot mark {VersionName} weak in {path}: {e.Message}");
            }
        }
        return !Log.HasLoggedErrors;
    }

    private static bool HostProvides(string version)
    {
        var lib = LibStdCxxCandidates.FirstOrDefault(File.Exists);
        if (lib is null) return false;
        var needle = Encoding.ASCII.GetBytes(version + "\0");
        var bytes = File.ReadAllBytes(lib);
        return IndexOf(bytes, needle) >= 0;
    }

    private static int IndexOf(byte[] haystack, byte[] needle)
    {
        for (int i = 0; i <= haystack.Length - needle.Length; i++)
        {
            int j = 0;
            while (j < needle.Length && haystack[i + j] == needle[j]) j++;
            if (j == needle.Length) return i;
        }
        return -1;
    }

    /// <summary>Returns true when the file was changed; a file already weakened is left alone.</summary>
    private bool Weaken(string path)
    {
        var elf = File.ReadAllBytes(path);
        if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[2] != (byte)'L' || elf[3] != (byte)'F')
            throw new InvalidDataException("not an ELF file");
        if (elf[4] != 2 || elf[5] != 1)
            throw new InvalidDataException("only 64-bit little-endian ELF is supported");

        ulong sectionHeaders = BitConverter.ToUInt64(elf, 0x28);
        int sectionHeaderSize = BitConverter.ToUInt16(elf, 0x3A);
        int sectionCount = BitConverter.ToUInt16(elf, 0x3C);
        bool changed = false;
        bool found = false;
        for (int s = 0; s < sectionCount; s++)
        {
            int header = checked((int)sectionHeaders + s * sectionHeaderSize);
            if (BitConverter.ToUInt32(elf, header + 4) != SectionTypeVersionNeed) continue;
            int offset = checked((int)BitConverter.ToUInt64(elf, header + 0x18));
            int linkedStrings = (int)BitConverter.ToUInt32(elf, header + 0x28);
            int entries = (int)BitConverter.ToUInt32(elf, header + 0x2C);
            int stringsHeader = checked((int)sectionHeaders + linkedStrings * sectionHeaderSize);
            int strings = checked((int)BitConverter.ToUInt64(elf, stringsHeader + 0x18));

            int need = offset;
            for (int n = 0; n < entries; n++)
            {
                int auxCount = BitConverter.ToUInt16(elf, need + 2);
                int aux = need + (int)BitConverter.ToUInt32(elf, need + 8);
                for (int a = 0; a < auxCount; a++)
                {
                    int name = strings + (int)BitConverter.ToUInt32(elf, aux + 8);
                    if (ReadString(elf, name) == VersionName)
                    {
                        found = true;
                        ushort flags = BitConverter.ToUInt16(elf, aux + 4);
                        if ((flags & VersionFlagWeak) == 0)
                        {
                            BitConverter.GetBytes((ushort)(flags | VersionFlagWeak)).CopyTo(elf, aux + 4);
                            changed = true;
                        }
                    }
                    aux += (int)BitConverter.ToUInt32(elf, aux + 12);
                }
                need += (int)BitConverter.ToUInt32(elf, need + 12);
            }
        }
        if (!found || !changed) return false;

        // Write beside and rename over, so a hard link into the package cache is never modified.
        var temporary = path + ".weakened";
        File.WriteAllBytes(temporary, elf);
        File.Delete(path);
        File.Move(temporary, path);
        return true;
    }

    private static string ReadString(byte[] bytes, int start)
    {
        int end = start;
        while (end < bytes.Length && bytes[end] != 0) end++;
        return Encoding.ASCII.GetString(bytes, start, end - start);
    }
}
