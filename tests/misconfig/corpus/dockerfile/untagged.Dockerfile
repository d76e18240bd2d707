FROM node
WORKDIR /usr/src/app
COPY package*.json ./
RUN npm ci --omit=dev
COPY . .
USER node
HEALTHCHECK CMD ["node", "healthcheck.js"]
CMD ["node", "server.js"]
