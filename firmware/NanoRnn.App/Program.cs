using System;
using System.Device.Gpio;
using System.Device.I2c;
using System.Threading;
using nanoFramework.Runtime.Native;
using NanoRnn.Boards;
using NanoRnn.Pipeline;
using NanoRnn.Sensors;

namespace NanoRnn.App
{
    /// <summary>
    /// Device glue only: the board's pins, I2C bus, clock and console handed to
    /// <see cref="BoardApplication"/>, which `simulate` runs on a PC with simulated ones. Every decision is
    /// made there. A failure before the loop (a blob the loader refuses, a kernel that fails its check,
    /// out of memory) is printed and the board restarts after <see cref="RebootDelayMilliseconds"/>;
    /// a sensor or bus that does not answer is retried from the loop, where nothing stops it.
    /// </summary>
    public class Program
    {
        // The one build-time choice: a name from NanoRnn.Boards.BoardCatalog.
        private const string BoardName = "esp32-devkitc-gy521";

        private const int PollMilliseconds = 100;         // the MPU-6050's FIFO holds 1.7 s at 50 Hz, the MPU-6500's 0.84 s
        private const int RebootDelayMilliseconds = 10000;

        public static void Main()
        {
#if NANORNN_NATIVE
            // Built for a firmware that carries NanoRnn.Native: referencing it deploys it with the application.
            NanoRnn.Native.NativeKernel.Install();
#endif
            var output = new ConsoleOutput();
            var clock = new HighResClock();
            BoardApplication application;
            try
            {
                application = Build(output, clock);
            }
            catch (Exception e)
            {
                // A bad model, out of memory, a pin that cannot be opened: say so, then start again (a fault
                // that went away, a sensor plugged in late), rather than sit idle without a word.
                output.WriteLine("start-up failed: " + e.GetType().Name + ": " + e.Message);
                output.WriteLine("rebooting in " + RebootDelayMilliseconds / 1000 + " s");
                Thread.Sleep(RebootDelayMilliseconds);
                Power.RebootDevice();
                return;
            }

            while (true)
            {
                Thread.Sleep(PollMilliseconds);
                application.Poll(clock.NowMicroseconds());
            }
        }

        private static BoardApplication Build(ConsoleOutput output, HighResClock clock)
        {
            BoardDescription board = BoardCatalog.Find(BoardName);
            if (board == null)
            {
                throw new ArgumentException("BoardName \"" + BoardName + "\" is not in NanoRnn.Boards.BoardCatalog.Names");
            }

            var io = new BoardIo
            {
                SensorBus = new I2cRegisterBus(board.I2cBusId, board.SensorAddress, board.I2cDataPin, board.I2cClockPin),
                Clock = clock,
                ClockNote = clock.Note,
                Output = output,
                Exponential = new MathExponential(),
                Heap = new ManagedHeap(),
            };

            // The LED and the button are conveniences: one that cannot be opened is said and done without.
            // The feature inputs are all there or none is: a model that reads one is then refused at start-up.
            GpioController gpio = OpenController(output);
            if (gpio != null)
            {
                io.DigitalInputs = OpenInputs(gpio, board.DigitalInputPins, output);
                if (board.LedPin >= 0)
                {
                    GpioPin led = OpenPin(gpio, board.LedPin, PinMode.Output, "LED", output);
                    io.Led = led == null ? null : new GpioDigitalOutput(led);
                }

                if (board.ButtonPin >= 0)
                {
                    GpioPin button = OpenPin(gpio, board.ButtonPin, board.ButtonActiveHigh ? PinMode.InputPullDown : PinMode.InputPullUp, "button", output);
                    io.Button = button == null ? null : new GpioDigitalInput(button);
                }
            }

            // The blob stays in memory-mapped flash as a resource.
            var flash = new ResourceBlobReader(Resources.ResourceManager, Resources.BinaryResources.model);
            return new BoardApplication(board, flash, io, null);
        }

        private static GpioController OpenController(ConsoleOutput output)
        {
            try
            {
                return new GpioController();
            }
            catch (Exception e)
            {
                output.WriteLine("gpio: not available (" + e.GetType().Name + "); running without the LED, the button and digital inputs");
                return null;
            }
        }

        private static IDigitalInput[] OpenInputs(GpioController gpio, int[] pins, ConsoleOutput output)
        {
            var inputs = new IDigitalInput[pins.Length];
            for (int i = 0; i < pins.Length; i++)
            {
                GpioPin pin = OpenPin(gpio, pins[i], PinMode.InputPullUp, "digital input in" + i, output);
                if (pin == null)
                {
                    return new IDigitalInput[0];
                }

                inputs[i] = new GpioDigitalInput(pin);
            }

            return inputs;
        }

        private static GpioPin OpenPin(GpioController gpio, int pin, PinMode mode, string what, ConsoleOutput output)
        {
            try
            {
                return gpio.OpenPin(pin, mode);
            }
            catch (Exception e)
            {
                output.WriteLine(what + ": GPIO" + pin + " cannot be opened (" + e.GetType().Name + "); running without it");
                return null;
            }
        }
    }
}
