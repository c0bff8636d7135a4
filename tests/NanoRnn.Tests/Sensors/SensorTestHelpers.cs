#if NANOFRAMEWORK_1_0
using nanoFramework.TestFramework;
#else
using Microsoft.VisualStudio.TestTools.UnitTesting;
#endif
using NanoRnn.Sensors;
using NanoRnn.Simulation;

namespace NanoRnn.Tests.Sensors
{
    /// <summary>Set-up and checks shared by the sensor tests (static: nanoFramework.TestFramework has no test instance).</summary>
    internal static class SensorTestHelpers
    {
        /// <summary>A simulated chip fed by <see cref="RampMotion"/>, and its driver after Reset and Wake.</summary>
        internal static MpuBase CreateAwake(SimulatedMpuModel model, out SimulatedMpu chip)
        {
            chip = new SimulatedMpu(model, new RampMotion());
            MpuBase driver = model == SimulatedMpuModel.Mpu6050 ? (MpuBase)new Mpu6050(chip) : new Mpu6886(chip);
            driver.Reset();
            driver.Wake();
            return driver;
        }

        /// <summary>Checks that <paramref name="frames"/> frames from <paramref name="offset"/> are RampMotion samples firstIndex, firstIndex + 1, ...</summary>
        internal static void AssertRampFrames(short[] counts, int offset, int frames, int firstIndex)
        {
            for (int frame = 0; frame < frames; frame++)
            {
                for (int axis = 0; axis < 6; axis++)
                {
                    Assert.AreEqual(
                        (int)RampMotion.Count(firstIndex + frame, axis),
                        (int)counts[offset + frame * 6 + axis],
                        "frame " + frame + " axis " + axis);
                }
            }
        }
    }
}
