using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace SslCourse.Models;

/// <summary>
/// ResNet-18 in its CIFAR form (He et al., CVPR 2016; the SimCLR paper's CIFAR variant): a 3x3 stem without max
/// pooling, four stages of two basic blocks (64-128-256-512), global average pooling to 512. Meant for GPU users:
/// on a 2-core CPU it trains at about 40 images a second.
/// </summary>
/// <remarks><c>[N, C, H, W]</c> -> <c>[N, 512]</c>.</remarks>
public sealed class ResNet18 : Module<Tensor, Tensor>
{
    readonly Conv2d conv1;
    readonly BatchNorm2d bn1;
    readonly Sequential layer1, layer2, layer3, layer4;
    readonly AdaptiveAvgPool2d avgpool;

    /// <summary>Length of the output vector (512).</summary>
    public int OutputDim => 512;

    /// <summary>Builds the network for <paramref name="inChannels"/> (1 or 3) input channels.</summary>
    public ResNet18(int inChannels = 3) : base(nameof(ResNet18))
    {
        if (inChannels is not (1 or 3)) throw new ArgumentOutOfRangeException(nameof(inChannels), inChannels, "inChannels must be 1 or 3.");
        conv1 = Conv2d(inChannels, 64, 3, padding: 1, bias: false);
        bn1 = BatchNorm2d(64);
        layer1 = Stage(64, 64, 1);
        layer2 = Stage(64, 128, 2);
        layer3 = Stage(128, 256, 2);
        layer4 = Stage(256, 512, 2);
        avgpool = AdaptiveAvgPool2d(1);
        RegisterComponents();
    }

    static Sequential Stage(int cin, int cout, int stride) =>
        Sequential(("0", new BasicBlock(cin, cout, stride)), ("1", new BasicBlock(cout, cout, 1)));

    /// <summary><c>[N, C, H, W]</c> -> <c>[N, 512]</c>.</summary>
    public override Tensor forward(Tensor x)
    {
        x = functional.relu(bn1.call(conv1.call(x)));
        x = layer4.call(layer3.call(layer2.call(layer1.call(x))));
        return avgpool.call(x).flatten(1); // [N, 512, 1, 1] -> [N, 512]
    }

    /// <summary>Two 3x3 convolutions with BatchNorm and a shortcut (1x1 convolution when the shape changes).</summary>
    sealed class BasicBlock : Module<Tensor, Tensor>
    {
        readonly Conv2d conv1, conv2;
        readonly BatchNorm2d bn1, bn2;
        readonly Sequential? downsample;

        public BasicBlock(int cin, int cout, int stride) : base(nameof(BasicBlock))
        {
            conv1 = Conv2d(cin, cout, 3, stride: stride, padding: 1, bias: false);
            bn1 = BatchNorm2d(cout);
            conv2 = Conv2d(cout, cout, 3, padding: 1, bias: false);
            bn2 = BatchNorm2d(cout);
            if (stride != 1 || cin != cout)
                downsample = Sequential(("0", Conv2d(cin, cout, 1, stride: stride, bias: false)), ("1", BatchNorm2d(cout)));
            RegisterComponents();
        }

        public override Tensor forward(Tensor x)
        {
            var y = bn2.call(conv2.call(functional.relu(bn1.call(conv1.call(x)))));
            var shortcut = downsample is null ? x : downsample.call(x);
            return functional.relu(y + shortcut);
        }
    }
}
