import os

import matplotlib.pyplot as plt

fig, ax = plt.subplots(figsize=(3, 2))
ax.plot([0, 1, 2], [0, 1, 4])
fig.savefig(os.path.join(os.environ["KB_FIGURES_DIR"], "square.png"))
print("saved")
