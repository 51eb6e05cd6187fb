// Sizes every iframe of the VAE playground on a page to the height its content reports.
// A page that embeds the playground with <iframe src=".../?figure=views&stop=840"> adds
//   <script src=".../examples/resize.js"></script>
// (or these few lines of its own). The playground's page, inside an iframe, posts
// {type: 'vae-playground:height', height} to its parent whenever its height changes.
window.addEventListener('message', (event) => {
  const m = event.data;
  if (!m || m.type !== 'vae-playground:height' || !Number.isFinite(m.height)) return;
  for (const frame of document.querySelectorAll('iframe')) {
    if (frame.contentWindow === event.source) frame.style.height = `${Math.min(Math.max(m.height, 50), 20000)}px`;
  }
});
