using System.IO;

namespace NanoRnn.Sensors
{
    /// <summary>
    /// Finds which motion sensor answers on a bus and opens the driver for it, so a board sold as a
    /// GY-521 works whether it carries an MPU-6050 or an MPU-6500, and a sensor that is not supported is
    /// refused once, by its WHO_AM_I.
    /// </summary>
    public static class MpuChips
    {
        /// <summary>
        /// Reads WHO_AM_I (register 0x75) and creates the driver for the chip found: 0x68 MPU-6050; 0x70
        /// MPU-6500, 0x71 MPU-9250, 0x73 MPU-9255 (register-compatible: <see cref="Mpu6500"/>); 0x19
        /// MPU-6886. <see cref="MpuBase.ChipName"/> says which. Changes nothing on the chip.
        /// </summary>
        /// <param name="bus">The register bus of the sensor's address.</param>
        /// <returns>A driver; call <see cref="MpuBase.Wake"/> next.</returns>
        /// <exception cref="System.ArgumentNullException"><paramref name="bus"/> is null.</exception>
        /// <exception cref="IOException">The bus failed, or the chip is none of these; the message names the WHO_AM_I read.</exception>
        public static MpuBase Open(IRegisterBus bus)
        {
            if (bus == null)
            {
                throw new System.ArgumentNullException("bus");
            }

            byte whoAmI = bus.ReadRegister((byte)Register.WhoAmI);
            if (whoAmI == Mpu6050.WhoAmIValue)
            {
                return new Mpu6050(bus);
            }

            if (Mpu6500.IsFamilyMember(whoAmI))
            {
                return new Mpu6500(bus);
            }

            if (whoAmI == Mpu6886.WhoAmIValue)
            {
                return new Mpu6886(bus);
            }

            throw new IOException("no supported motion sensor: WHO_AM_I (register 0x75) reads 0x" + whoAmI.ToString("X2")
                + Describe(whoAmI) + "; supported: 0x68 MPU-6050, 0x70 MPU-6500, 0x71 MPU-9250, 0x73 MPU-9255, 0x19 MPU-6886");
        }

        private static string Describe(byte whoAmI)
        {
            switch (whoAmI)
            {
                case 0x00:
                case 0xFF:
                    return " (no device answering, or SDA stuck?)";
                case 0x12:
                    return " (an ICM-20602: another register map)";
                case 0x98:
                    return " (a clone that answers like no InvenSense chip)";
                default:
                    return string.Empty;
            }
        }
    }
}
