// The guided tour's steps, in order: each names the part of the page it talks about (a
// selector within the playground), the tab that part is under (panel-tabs.js), and what it
// says. A link reaches a step with tour=N (1 is the first); Rust's table bounds N by the
// number of steps (params.rs, TOUR_STEPS), and a test checks that the two agree.

export const TOUR = [
  {
    target: '#play',
    title: 'Train',
    text: 'Press Train. Two networks learn the same 1797 handwritten digits, batch by batch, at an epoch a second: the counter beside counts steps (batches of 64) and epochs (every image once). The run pauses at the end of epoch 30, where the texts quote their numbers.',
  },
  {
    target: '.views',
    title: 'Two latent planes',
    text: 'Each mark is one image, squeezed into two numbers: a point of a plane, coloured by its digit (the networks never see the colours). Left, the VAE gives each image an ellipse, its posterior (mean ± 1σ), and trains on random points of it. Right, the autoencoder gives each image one point. Mind the scale bars: each view has its own.',
  },
  {
    target: '.lesson',
    title: 'What each model pays',
    text: 'The losses, in nats per sample (every dotted word explains itself on hover or focus). The VAE pays its reconstruction plus β × KL; the KL charges ½d² for a mean at distance d from the centre, and more for a narrow σ. The autoencoder pays its reconstruction only, wherever its points go.',
  },
  {
    target: '.field-beta',
    title: 'Move β',
    text: 'β weighs the KL. At 0 it is off: the ellipses shrink to points and scatter like the autoencoder\'s. From 3 up, on the digits, the KL wins within a few epochs: every ellipse sinks onto the prior and every image decodes to the same blur (posterior collapse).',
  },
  {
    target: '.presets',
    tab: 'question',
    title: 'The question',
    text: 'Why can\'t the VAE put two similar images far apart, each posterior still close to N(0, I), as an autoencoder may? Here is the argument, with a KL calculator, and guided experiments that each set one up and train it to the length its text quotes.',
  },
  {
    target: '.tear',
    tab: 'tear',
    title: 'Build the cheat',
    text: 'Tear the plane: mirror every mean above a line, every KL kept exactly, and let only the decoders retrain. The price is what the torn decoder still loses. Train to epoch 30 first, then tear.',
  },
  {
    target: '.pull',
    tab: 'pull',
    title: 'Pull a pair apart',
    text: 'Pick two similar images and hold their codes a distance d apart while both models train on: see what each pays, the VAE in KL and reconstruction, the autoencoder in reconstruction alone. The answer, in short: far from the centre costs KL, so a VAE has few places to put codes and images must share them; its noise makes shared places overlap, which costs reconstruction unless the sharers look alike. So similar images end up together. The autoencoder pays for none of this.',
  },
];
